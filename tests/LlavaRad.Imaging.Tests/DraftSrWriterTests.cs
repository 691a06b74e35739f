using System.Text.Json;
using LlavaRad.Imaging.Sr;

namespace LlavaRad.Imaging.Tests;

/// <summary>The AI-draft SR checked by three independent implementations: dicom3tools, dcmtk and pydicom.</summary>
public sealed class DraftSrWriterTests
{
    private const string StudyUid = "1.2.826.0.1.3680043.8.498.101";
    private const string ImageUid = "1.2.826.0.1.3680043.8.498.103";
    private const string ObserverUid = "2.25.1234567890";

    private static DraftSrRequest Request(int version = 1, SrInstance? predecessor = null, string key = "draft-key-1") => new(
        new SourceStudy(StudyUid, "Müller^Anna", "PAT-7", "HOSP-A", "19700101", "F", "20240501", "101500", "S1", "ACC-42",
            "", "XR CHEST 1 VIEW"),
        new SourceImage("1.2.826.0.1.3680043.8.498.102", "1.2.840.10008.5.1.4.1.1.1.1", ImageUid),
        "Small right pleural effusion. No pneumothorax. Possible cardiomegaly.",
        [
            new SrFinding(new SrCode("60046008", "SCT", "Pleural effusion"), SrPresence.Present),
            new SrFinding(new SrCode("36118008", "SCT", "Pneumothorax"), SrPresence.Absent),
            new SrFinding(new SrCode("8186001", "SCT", "Cardiomegaly"), SrPresence.Uncertain),
        ],
        new SrDevice(ObserverUid, "LLaVA-Rad draft worker", "LlavaRad.Integration", "llava-rad", "1.0.0"),
        key,
        version,
        new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero),
        predecessor);

    private static readonly SrInstance EarlierDraft = new("1.2.826.0.1.3680043.8.498.900", "1.2.840.10008.5.1.4.1.1.88.33", "1.2.826.0.1.3680043.8.498.901");

    [Fact]
    public void Dciodvfy_ReportsNoErrors()
    {
        using var dir = new TempDirectory();
        var file = Save(dir, DraftSrWriter.Write(Request(version: 2, EarlierDraft)));
        // dciodvfy exits 0 with errors too: its report lines are what count.
        var report = ExternalTool.Report("dciodvfy", file);
        Assert.DoesNotContain("Error", report, StringComparison.Ordinal);
        Assert.Contains("ComprehensiveSR", report, StringComparison.Ordinal);
    }

    [Fact]
    public void DcmtkDsrdump_ParsesTheDocumentTree()
    {
        using var dir = new TempDirectory();
        var file = Save(dir, DraftSrWriter.Write(Request(version: 2, EarlierDraft)));
        var dump = ExternalTool.Run("dsrdump", "+Pl", file);
        Assert.Contains("Comprehensive SR Document", dump, StringComparison.Ordinal);
        Assert.Contains("UNVERIFIED", dump, StringComparison.Ordinal);
        Assert.Contains("Small right pleural effusion", dump, StringComparison.Ordinal);
        Assert.Contains("Device Observer UID", dump, StringComparison.Ordinal);
    }

    [Fact]
    public void Pydicom_ReadsTheStudyFlagsFindingsAndReferences()
    {
        using var dir = new TempDirectory();
        var written = DraftSrWriter.Write(Request(version: 2, EarlierDraft));
        var read = ReadWithPydicom(Save(dir, written));

        Assert.Equal("1.2.840.10008.1.2.1", read.GetProperty("transferSyntax").GetString());
        Assert.Equal("1.2.840.10008.5.1.4.1.1.88.33", read.GetProperty("sopClass").GetString());
        Assert.Equal("SR", read.GetProperty("modality").GetString());
        Assert.Equal(StudyUid, read.GetProperty("studyUid").GetString());
        Assert.Equal("Müller^Anna", read.GetProperty("patientName").GetString());
        Assert.Equal("PAT-7", read.GetProperty("patientId").GetString());
        Assert.Equal("ACC-42", read.GetProperty("accession").GetString());
        Assert.Contains("AI DRAFT", read.GetProperty("seriesDescription").GetString(), StringComparison.Ordinal);
        Assert.Equal("UNVERIFIED", read.GetProperty("verification").GetString());
        Assert.Equal("PARTIAL", read.GetProperty("completion").GetString());
        Assert.Equal("2000", read.GetProperty("template").GetString());
        Assert.Equal(ImageUid, read.GetProperty("evidenceSop").GetString());
        Assert.Equal([ImageUid], read.GetProperty("imageSops").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(ObserverUid, read.GetProperty("deviceUid").GetString());
        var texts = read.GetProperty("texts");
        Assert.Equal("Small right pleural effusion. No pneumothorax. Possible cardiomegaly.", texts.GetProperty("Finding").GetString());
        Assert.Equal("llava-rad 1.0.0", texts.GetProperty("Device Observer Model Name").GetString());
        var codes = read.GetProperty("codes");
        Assert.Equal("Present", codes.GetProperty("60046008").GetString());
        Assert.Equal("Absent", codes.GetProperty("36118008").GetString());
        Assert.Equal("Possible diagnosis", codes.GetProperty("8186001").GetString());
        Assert.Equal("Device", codes.GetProperty("121005").GetString());
    }

    [Fact]
    public void ALaterVersionIsANewInstanceNamingTheLastAsPredecessor()
    {
        using var dir = new TempDirectory();
        var first = DraftSrWriter.Write(Request(version: 1));
        var second = DraftSrWriter.Write(Request(version: 2, first.Instance, key: "draft-key-2"));
        var readFirst = ReadWithPydicom(Save(dir, first, "v1.dcm"));
        var readSecond = ReadWithPydicom(Save(dir, second, "v2.dcm"));

        Assert.NotEqual(readFirst.GetProperty("sopInstance").GetString(), readSecond.GetProperty("sopInstance").GetString());
        Assert.Equal(JsonValueKind.Null, readFirst.GetProperty("predecessorSop").ValueKind);
        Assert.Equal(readFirst.GetProperty("sopInstance").GetString(), readSecond.GetProperty("predecessorSop").GetString());
        Assert.Equal(first.SeriesInstanceUid, readSecond.GetProperty("predecessorSeries").GetString());
        Assert.Equal(DraftSrWriter.ComprehensiveSrSopClass, readSecond.GetProperty("predecessorSopClass").GetString());
        Assert.Equal(StudyUid, readSecond.GetProperty("predecessorStudy").GetString());
        Assert.Equal(first.SeriesInstanceUid, second.SeriesInstanceUid);
    }

    [Fact]
    public void RewritingTheSameVersionGivesTheSameInstance()
    {
        Assert.Equal(DraftSrWriter.Write(Request()).SopInstanceUid, DraftSrWriter.Write(Request()).SopInstanceUid);
        Assert.NotEqual(StudyUid, DraftSrWriter.Write(Request()).SeriesInstanceUid);
    }

    private static string Save(TempDirectory dir, WrittenSr sr, string name = "draft.dcm")
    {
        var path = dir.File(name);
        File.WriteAllBytes(path, sr.Part10);
        return path;
    }

    private static JsonElement ReadWithPydicom(string file)
    {
        var script = Path.Combine(ExternalTool.RepoRoot(), "tests", "LlavaRad.Imaging.Tests", "sr", "read_sr.py");
        return JsonDocument.Parse(ExternalTool.Run("/usr/bin/python3", script, file)).RootElement.Clone();
    }
}
