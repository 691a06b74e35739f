using System.Text.Json;

namespace LlavaRad.IntegrationTests.Worker;

/// <summary>Fails when a log holds any sample patient's name part, patient ID, accession number or a StudyInstanceUID.</summary>
public static class LogScan
{
    public static void AssertNoPatientData(string log, IEnumerable<string> studyInstanceUids)
    {
        Assert.False(string.IsNullOrWhiteSpace(log), "the log is empty: nothing was scanned");
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "manifest.json")));
        foreach (var study in manifest.RootElement.GetProperty("studies").EnumerateArray())
        {
            foreach (var field in new[] { "patientId", "accessionNumber" })
                Assert.DoesNotContain(study.GetProperty(field).GetString()!, log);
            foreach (var part in study.GetProperty("patientName").GetString()!.Split('^', StringSplitOptions.RemoveEmptyEntries))
                Assert.DoesNotContain(part, log);
        }
        foreach (var uid in studyInstanceUids) Assert.DoesNotContain(uid, log);
    }
}
