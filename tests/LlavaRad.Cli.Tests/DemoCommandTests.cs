using System.Text.Json;

namespace LlavaRad.Cli.Tests;

/// <summary>
/// The demo is the worker's embedded default. One run is shared by the assertions below (it takes a while on CPU);
/// expectations come from sample-studies/manifest.json, written by the independent Python generator.
/// </summary>
public sealed class DemoRun : IAsyncLifetime
{
    public TempDirectory Output { get; } = new();
    public string Studies { get; } = Path.Combine(ExternalTool.RepoRoot(), "sample-studies");
    public int Exit { get; private set; }
    public string Stdout { get; private set; } = "";
    public string Stderr { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        Exit = await CliApp.RunAsync(["demo", "--studies", Studies, "--out", Output.Path], stdout, stderr, limit.Token);
        Stdout = stdout.ToString();
        Stderr = stderr.ToString();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Output.Dispose();
        return Task.CompletedTask;
    }

    public JsonDocument Manifest() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Studies, "manifest.json")));

    /// <summary>The hand-chosen findings of the phantom studies (sample-studies/phantom-cases.json), read here as plain JSON.</summary>
    public JsonDocument PhantomCases() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Studies, "phantom-cases.json")));

    public int PhantomCount { get { using var cases = PhantomCases(); return cases.RootElement.GetProperty("cases").GetArrayLength(); } }
}

[Collection(EmbeddedWorkerCollection.Name)]
public class DemoCommandTests(DemoRun run) : IClassFixture<DemoRun>
{
    [Fact]
    public void WritesOneDraftBundlePerFrontalChestStudyForTheImageTheManifestExpects()
    {
        Assert.True(run.Exit == CliApp.Ok, run.Stderr + run.Stdout);
        var bundles = Directory.GetFiles(Path.Combine(run.Output.Path, DemoCommand.DraftFolder), "*.json")
            .Select(f => JsonDocument.Parse(File.ReadAllText(f))).ToList();
        using var manifest = run.Manifest();
        var frontal = manifest.RootElement.GetProperty("studies").EnumerateArray()
            .Where(s => s.GetProperty("expectedSelection").GetProperty("outcome").GetString() == "frontal").ToList();

        Assert.Equal(frontal.Count + run.PhantomCount, bundles.Count);
        foreach (var study in frontal)
        {
            var uid = study.GetProperty("studyInstanceUid").GetString()!;
            var bundle = Assert.Single(bundles, b => b.RootElement.GetRawText().Contains($"urn:oid:{uid}", StringComparison.Ordinal));
            var resources = bundle.RootElement.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource")).ToList();
            var report = Assert.Single(resources, r => r.GetProperty("resourceType").GetString() == "DiagnosticReport");
            Assert.Equal("preliminary", report.GetProperty("status").GetString());
            Assert.Single(resources, r => r.GetProperty("resourceType").GetString() == "Task");
            var provenance = Assert.Single(resources, r => r.GetProperty("resourceType").GetString() == "Provenance");
            var expectedImage = study.GetProperty("expectedSelection").GetProperty("sopInstanceUid").GetString();
            Assert.Contains($"urn:oid:{expectedImage}", provenance.GetRawText());
        }
    }

    [Fact]
    public void WritesOneSrAndOneOruPerDraftedStudyThatIndependentToolsAccept()
    {
        Assert.True(run.Exit == CliApp.Ok, run.Stderr + run.Stdout);
        var root = ExternalTool.RepoRoot();
        using var manifest = run.Manifest();
        var frontal = manifest.RootElement.GetProperty("studies").EnumerateArray()
            .Where(s => s.GetProperty("expectedSelection").GetProperty("outcome").GetString() == "frontal")
            .ToDictionary(s => s.GetProperty("studyInstanceUid").GetString()!, s => s.GetProperty("expectedSelection").GetProperty("sopInstanceUid").GetString());
        var srs = Directory.GetFiles(Path.Combine(run.Output.Path, "sr"), "*.dcm");
        var messages = Directory.GetFiles(Path.Combine(run.Output.Path, "hl7"), "*.hl7");
        Assert.Equal(frontal.Count + run.PhantomCount, srs.Length);
        Assert.Equal(frontal.Count + run.PhantomCount, messages.Length);

        var studies = new HashSet<string>();
        foreach (var sr in srs)
        {
            var report = ExternalTool.Report("dciodvfy", sr);
            Assert.DoesNotContain("Error", report, StringComparison.Ordinal);
            using var read = JsonDocument.Parse(ExternalTool.Run("/usr/bin/python3", Path.Combine(root, "tests", "LlavaRad.Imaging.Tests", "sr", "read_sr.py"), sr));
            var study = read.RootElement.GetProperty("studyUid").GetString()!;
            if (frontal.TryGetValue(study, out var sop)) Assert.Equal(sop, read.RootElement.GetProperty("evidenceSop").GetString());
            Assert.Equal("UNVERIFIED", read.RootElement.GetProperty("verification").GetString());
            studies.Add(study);
        }
        Assert.Subset(studies, frontal.Keys.ToHashSet());
        Assert.Equal(frontal.Count + run.PhantomCount, studies.Count);
        foreach (var message in messages)
        {
            using var read = JsonDocument.Parse(ExternalTool.Run("/usr/bin/python3", Path.Combine(root, "tests", "LlavaRad.Hl7v2.Tests", "hl7", "parse_oru.py"), message));
            Assert.Equal("ORU^R01^ORU_R01", read.RootElement.GetProperty("type").GetString());
            Assert.Equal("P", read.RootElement.GetProperty("resultStatus").GetString());
        }
    }

    [Fact]
    public void GivesTheCodedReasonForEveryStudyThatIsNotDrafted()
    {
        Assert.True(run.Exit == CliApp.Ok, run.Stderr + run.Stdout);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Output.Path, DemoCommand.SummaryFile)));
        var outcomes = summary.RootElement.GetProperty("studies").EnumerateArray()
            .ToDictionary(s => s.GetProperty("folder").GetString()!, s => s.GetProperty("outcome").GetString());
        using var manifest = run.Manifest();
        foreach (var study in manifest.RootElement.GetProperty("studies").EnumerateArray())
        {
            var expected = study.GetProperty("expectedSelection").GetProperty("outcome").GetString();
            Assert.Equal(expected == "frontal" ? "drafted" : expected, outcomes[study.GetProperty("folder").GetString()!]);
        }
        Assert.Contains("no-frontal-view", run.Stdout);
    }

    [Fact]
    public void PrintsProgressAndATableWithoutPatientIdentifiers()
    {
        var written = run.Stdout + File.ReadAllText(Path.Combine(run.Output.Path, DemoCommand.SummaryFile));
        using (var all = run.Manifest())
        {
            var count = all.RootElement.GetProperty("studies").GetArrayLength() + run.PhantomCount;
            Assert.Contains($"[{count}/{count}]", run.Stdout);
        }
        Assert.Contains("image chosen / reason", run.Stdout);
        using var manifest = run.Manifest();
        foreach (var study in manifest.RootElement.GetProperty("studies").EnumerateArray())
        {
            foreach (var field in new[] { "patientId", "accessionNumber", "studyInstanceUid" })
                Assert.DoesNotContain(study.GetProperty(field).GetString()!, written);
            foreach (var namePart in study.GetProperty("patientName").GetString()!.Split('^', StringSplitOptions.RemoveEmptyEntries))
                Assert.DoesNotContain(namePart, written);
        }
    }

    [Fact]
    public void AuditsEveryRunWithoutFailures()
    {
        Assert.True(run.Exit == CliApp.Ok, run.Stderr + run.Stdout);
        Assert.DoesNotContain("audit-write-failed", run.Stdout + run.Stderr);
    }

    private static readonly string[] Drawn = ["cardiomegaly", "pleural effusion", "pneumothorax", "consolidation", "support devices"];

    /// <summary>
    /// The table puts the phantom's findings beside the draft's. The model must do better than a constant "no finding"
    /// draft would: that baseline agrees on every observation the case does not have, counted here from the case file.
    /// </summary>
    [Fact]
    public void TheModelReadsThePhantomStudiesBetterThanAConstantNormalDraft()
    {
        Assert.True(run.Exit == CliApp.Ok, run.Stderr + run.Stdout);
        using var cases = run.PhantomCases();
        var positives = cases.RootElement.GetProperty("cases").EnumerateArray().Sum(c =>
        {
            var f = c.GetProperty("findings");
            return (f.GetProperty("cardiomegaly").GetBoolean() ? 1 : 0)
                + new[] { "effusion", "pneumothorax", "consolidation", "device" }.Count(n => f.GetProperty(n).GetString() != "None");
        });
        var total = run.PhantomCount * Drawn.Length;

        var line = Assert.Single(run.Stdout.Split('\n'), l => l.StartsWith("phantom studies:", StringComparison.Ordinal));
        var agreeing = int.Parse(line.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"of {total} observations agree", line);
        Assert.True(agreeing > total - positives, $"{line}; a constant normal draft agrees on {total - positives}");
        foreach (var c in cases.RootElement.GetProperty("cases").EnumerateArray())
            Assert.Contains(run.Stdout.Split('\n'), l => l.StartsWith(c.GetProperty("folder").GetString()! + " ", StringComparison.Ordinal));
    }
}

public class DemoUsageTests
{
    [Fact]
    public async Task MissingStudiesFolderFailsWithTheFolderNamed()
    {
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["demo", "--studies", "/nonexistent/studies"], new StringWriter(), stderr);
        Assert.Equal(CliApp.Failed, exit);
        Assert.Contains("/nonexistent/studies", stderr.ToString());
    }
}
