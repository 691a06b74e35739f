using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;

namespace LlavaRad.Cli.Tests;

/// <summary>
/// Ctrl+C during `llavarad demo`, as an operator presses it: the real program as a child process gets SIGINT after
/// its first study, exits 130 and leaves the job store consistent; a rerun finishes with one job and at most one
/// draft per study. The sample studies are joined by copies of one frontal study under fresh UIDs (dcmtk), so
/// the demo still has work left when a loaded machine delivers its first line and the signal late.
/// </summary>
[Collection(EmbeddedWorkerCollection.Name)]
public sealed class DemoCancelTests : IDisposable
{
    private const int ExtraStudies = 40;
    private static readonly string SampleStudiesRoot = Path.Combine(ExternalTool.RepoRoot(), "sample-studies");
    private readonly TempDirectory _out = new();
    private readonly TempDirectory _studies = new();

    private string Studies => _studies.Path;

    public DemoCancelTests()
    {
        foreach (var file in Directory.EnumerateFiles(SampleStudiesRoot, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_studies.Path, Path.GetRelativePath(SampleStudiesRoot, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var source = Path.Combine(SampleStudiesRoot, "studies", "pa-chest-dx-8bit-no-window", "series01-pa.dcm");
        var copies = Enumerable.Range(1, ExtraStudies).Select(i =>
        {
            var folder = Directory.CreateDirectory(Path.Combine(_studies.Path, "studies", $"extra-{i:D2}")).FullName;
            File.Copy(source, Path.Combine(folder, "series01-pa.dcm"));
            return Path.Combine(folder, "series01-pa.dcm");
        }).ToArray();
        ExternalTool.Run("dcmodify", ["-nb", "-gst", "-gse", "-gin", .. copies]); // a new study per copy
    }

    [Fact]
    public async Task SigintAfterTheFirstStudyExits130AndARerunFinishesWithoutDuplicates()
    {
        var log = new StringBuilder();
        using var demo = CliProcess.Start(Path.Combine(AppContext.BaseDirectory, "llavarad.dll"), log, "demo", "--studies", Studies, "--out", _out.Path, "--concurrency", "1");
        // SIGINT from the output reader itself, the moment the first study's line arrives: a test continuation can
        // wait seconds for one of xUnit's two threads on a loaded machine, by which time the demo may be done.
        var signalled = 0;
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line && (line.Contains("] studies/") || line.Contains("] phantom/")) && Interlocked.Exchange(ref signalled, 1) == 0)
                Assert.Equal(0, kill(demo.Id, Sigint));
        }
        demo.OutputDataReceived += OnLine;
        demo.ErrorDataReceived += OnLine;
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(5); // model load and the first draft on a loaded 2-core machine
            while (Volatile.Read(ref signalled) == 0)
            {
                Assert.False(demo.HasExited, $"demo ended before its first study:\n{Read(log)}");
                Assert.True(DateTime.UtcNow < deadline, $"no study finished within 5 min:\n{Read(log)}");
                await Task.Delay(200);
            }
            Assert.True(demo.WaitForExit(TimeSpan.FromMinutes(2)), $"demo did not stop on SIGINT:\n{Read(log)}");
            demo.WaitForExit();
            Assert.True(demo.ExitCode == CliApp.Cancelled, $"exit {demo.ExitCode}:\n{Read(log)}");
        }
        finally
        {
            if (!demo.HasExited) demo.Kill(entireProcessTree: true);
        }

        var (jobs, running, studies) = JobCounts();
        Assert.Equal(0, running); // a stopped worker leaves no job claimed
        Assert.Equal(studies, jobs); // one job per study

        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["demo", "--studies", Studies, "--out", _out.Path], new StringWriter(), stderr);
        Assert.True(exit == CliApp.Ok, stderr.ToString());
        var folders = SampleStudies.StudyFolders(Path.Combine(_out.Path, StudyStaging.FolderName)).Count;
        (jobs, running, studies) = JobCounts();
        Assert.Equal((folders, 0, folders), (jobs, running, studies));
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Studies, "manifest.json")));
        using var phantom = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Studies, "phantom-cases.json")));
        var draftable = manifest.RootElement.GetProperty("studies").EnumerateArray()
            .Count(s => s.GetProperty("expectedSelection").GetProperty("outcome").GetString() == "frontal")
            + phantom.RootElement.GetProperty("cases").GetArrayLength() + ExtraStudies;
        Assert.Equal(draftable, Directory.GetFiles(Path.Combine(_out.Path, DemoCommand.DraftFolder), "*.json").Length);
    }

    private (int Jobs, int Running, int Studies) JobCounts()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_out.Path, "jobs.db")};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END), COUNT(DISTINCT study_instance_uid) FROM jobs";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt32(0), reader.IsDBNull(1) ? 0 : reader.GetInt32(1), reader.GetInt32(2));
    }

    private const int Sigint = 2;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // one libc call in a test; no marshalling to generate
    private static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054

    private static string Read(StringBuilder log) { lock (log) return log.ToString(); }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _out.Dispose();
        _studies.Dispose();
    }
}
