using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlavaRad.Review.Agreement;

namespace LlavaRad.Review.Tests.Agreement;

/// <summary>Draft-vs-final agreement against an independent Python computation (agreement.py beside this file).</summary>
public sealed class AgreementTests
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 1, 9, 0, 0, TimeSpan.Zero);

    // Finals written as a radiologist would correct the drafts; drafts as the AI phrased them.
    private static readonly ReviewPair[] Pairs =
    [
        new("a1", "Small right pleural effusion. No pneumothorax.", "Small right pleural effusion. No pneumothorax.", T0, T0.AddMinutes(4)),
        new("a2", "Large left pneumothorax.", "Large left pneumothorax with mediastinal shift. Cardiomegaly.", T0, T0.AddMinutes(9)),
        new("a3", "Cardiomegaly. Pulmonary edema.", "Heart size is normal. Pulmonary edema.", T0, T0.AddMinutes(15)),
        new("a4", "Right lower lobe consolidation. Small pleural effusion.", "No consolidation. Small pleural effusion.", T0, T0.AddMinutes(2)),
        new("a5", "No acute cardiopulmonary process.", "Subtle left pneumothorax.", T0, T0.AddHours(1)),
    ];

    [Fact]
    public void PpvSensitivityAndEditDistanceMatchAnIndependentPythonComputation()
    {
        var report = AgreementReport.Compute(Pairs);
        var python = RunPython(report);

        var findings = python["findings"]!.AsObject();
        Assert.NotEmpty(findings);
        foreach (var finding in report.Findings.Where(f => f.TruePositives + f.FalsePositives + f.FalseNegatives > 0))
        {
            var expected = findings[finding.Finding.ToString()]!;
            Assert.Equal((int)expected["tp"]!, finding.TruePositives);
            Assert.Equal((int)expected["fp"]!, finding.FalsePositives);
            Assert.Equal((int)expected["fn"]!, finding.FalseNegatives);
            Assert.Equal((double?)expected["ppv"], finding.Ppv);
            Assert.Equal((double?)expected["sensitivity"], finding.Sensitivity);
        }
        Assert.Equal(findings.Count, report.Findings.Count(f => f.TruePositives + f.FalsePositives + f.FalseNegatives > 0));
        var distances = python["editDistances"]!.AsArray().Select(d => (double)d!).ToList();
        Assert.Equal(distances.Count, report.Pairs.Count);
        for (var i = 0; i < distances.Count; i++) Assert.Equal(distances[i], report.Pairs[i].NormalisedEditDistance, 12);
        Assert.Equal(0, report.Pairs[0].NormalisedEditDistance);
        Assert.Equal(TimeSpan.FromHours(1), report.Pairs[4].TimeToSignOff);
    }

    [Fact]
    public async Task PairsRoundTripAsJsonLinesAndABadLineIsNamed()
    {
        using var buffer = new MemoryStream();
        await ReviewPairs.WriteJsonLinesAsync(Pairs, buffer);

        var read = await ReviewPairs.ReadJsonLinesAsync(new StringReader(System.Text.Encoding.UTF8.GetString(buffer.ToArray())));
        var bad = await Assert.ThrowsAsync<InvalidDataException>(() => ReviewPairs.ReadJsonLinesAsync(new StringReader("{}\nnot json\n")));

        Assert.Equal(Pairs, read);
        Assert.Contains("line 2", bad.Message);
    }

    private static JsonNode RunPython(AgreementReport report)
    {
        var script = Path.Combine(ExternalTool.RepoRoot(), "tests", "LlavaRad.Review.Tests", "Agreement", "agreement.py");
        var start = new ProcessStartInfo("/usr/bin/python3", [script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        foreach (var pair in report.Pairs)
            process.StandardInput.WriteLine(JsonSerializer.Serialize(new
            {
                draftText = pair.Pair.DraftText, finalText = pair.Pair.FinalText,
                draftPositive = pair.DraftPositive.Select(o => o.ToString()), finalPositive = pair.FinalPositive.Select(o => o.ToString()),
            }));
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
        return JsonNode.Parse(output)!;
    }
}
