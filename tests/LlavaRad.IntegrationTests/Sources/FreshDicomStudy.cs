using LlavaRad.Imaging;
using LlavaRad.Imaging.Part10;
using LlavaRad.Imaging.Sr;

namespace LlavaRad.IntegrationTests.Sources;

/// <summary>
/// A sample study's DICOM files with new Study, Series and SOP Instance UIDs (rewritten by dcmtk's dcmodify), so
/// every test uploads a study Orthanc has never seen and gets its own StableStudy event. With a compressor (a dcmtk or
/// GDCM command line, e.g. "gdcmconv --j2k"), each file is first written in that tool's transfer syntax.
/// </summary>
public sealed record FreshDicomStudy(string StudyInstanceUid, IReadOnlyList<byte[]> Files)
{
    public static FreshDicomStudy Create(string folder, TempDirectory scratch, string? studyDate = null, string? compressor = null)
    {
        var source = Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "studies", folder);
        var study = NewUid();
        var series = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<byte[]>();
        foreach (var file in Directory.EnumerateFiles(source, "*.dcm").Order(StringComparer.Ordinal))
        {
            var copy = scratch.File($"{Guid.NewGuid():N}.dcm");
            if (compressor is null) File.Copy(file, copy);
            else ExternalTool.Run(compressor.Split(' ')[0], [.. compressor.Split(' ')[1..], file, copy]);
            var oldSeries = ExternalTool.DcmtkTag(file, "0020,000e");
            if (!series.TryGetValue(oldSeries, out var newSeries)) series[oldSeries] = newSeries = NewUid();
            string[] date = studyDate is null ? [] : ["-m", $"(0008,0020)={studyDate}"];
            ExternalTool.Run("dcmodify", ["-nb", "-m", $"(0020,000d)={study}", "-m", $"(0020,000e)={newSeries}", .. date, "-gin", copy]);
            files.Add(File.ReadAllBytes(copy));
        }
        return new FreshDicomStudy(study, files);
    }

    /// <summary>What the worker's SR sink would store for this study: our AI-draft SR, in its derived series.</summary>
    public DraftSrRequest DraftSr()
    {
        var image = Part10Reader.Read(Files[0]).Dataset;
        return new DraftSrRequest(SourceFacts.Study(image), SourceFacts.Image(image), "No acute cardiopulmonary process.",
            [new SrFinding(new SrCode("36118008", "SCT", "Pneumothorax"), SrPresence.Absent)],
            new SrDevice("2.25.42", "LLaVA-Rad", "LlavaRad.Integration", "llava-rad", "1"), "draft-key", 1, DateTimeOffset.UnixEpoch.AddYears(50));
    }

    /// <summary>Another study's image moved into this one by dcmtk's dcmodify (a new series, same study). The
    /// patient moves too: Orthanc keys a study by PatientID + StudyInstanceUID, so another patient's image would
    /// make a second Orthanc study with the same UID.</summary>
    public byte[] Adopt(byte[] image, TempDirectory scratch)
    {
        var copy = scratch.File($"{Guid.NewGuid():N}.dcm");
        File.WriteAllBytes(copy, image);
        var patientId = Part10Reader.Read(Files[0]).Dataset.GetString(DicomTag.PatientId) ?? "";
        ExternalTool.Run("dcmodify", ["-nb", "-m", $"(0020,000d)={StudyInstanceUid}", "-m", $"(0010,0020)={patientId}", copy]);
        return File.ReadAllBytes(copy);
    }

    private static string NewUid() => $"2.25.{Random.Shared.NextInt64(1, long.MaxValue)}{Random.Shared.Next(100000, 999999)}";
}
