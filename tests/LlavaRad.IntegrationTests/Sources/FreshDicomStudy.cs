namespace LlavaRad.IntegrationTests.Sources;

/// <summary>
/// A sample study's DICOM files with new Study, Series and SOP Instance UIDs (rewritten by dcmtk's dcmodify), so
/// every test uploads a study Orthanc has never seen and gets its own StableStudy event.
/// </summary>
public sealed record FreshDicomStudy(string StudyInstanceUid, IReadOnlyList<byte[]> Files)
{
    public static FreshDicomStudy Create(string folder, TempDirectory scratch, string? studyDate = null)
    {
        var source = Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "studies", folder);
        var study = NewUid();
        var series = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<byte[]>();
        foreach (var file in Directory.EnumerateFiles(source, "*.dcm").Order(StringComparer.Ordinal))
        {
            var copy = scratch.File($"{Guid.NewGuid():N}.dcm");
            File.Copy(file, copy);
            var oldSeries = ExternalTool.DcmtkTag(file, "0020,000e");
            if (!series.TryGetValue(oldSeries, out var newSeries)) series[oldSeries] = newSeries = NewUid();
            string[] date = studyDate is null ? [] : ["-m", $"(0008,0020)={studyDate}"];
            ExternalTool.Run("dcmodify", ["-nb", "-m", $"(0020,000d)={study}", "-m", $"(0020,000e)={newSeries}", .. date, "-gin", copy]);
            files.Add(File.ReadAllBytes(copy));
        }
        return new FreshDicomStudy(study, files);
    }

    private static string NewUid() => $"2.25.{Random.Shared.NextInt64(1, long.MaxValue)}{Random.Shared.Next(100000, 999999)}";
}
