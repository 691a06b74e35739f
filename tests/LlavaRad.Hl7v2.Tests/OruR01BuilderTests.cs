using System.Text.Json;

namespace LlavaRad.Hl7v2.Tests;

/// <summary>The ORU^R01 as python3-hl7 (an independent parser) reads it.</summary>
public sealed class OruR01BuilderTests
{
    private static readonly Hl7Endpoints Endpoints = new("LLAVARAD", "HOSP-A", "RIS", "HOSP-A");

    internal static OruDraft Draft(ResultStatus status = ResultStatus.Preliminary, int version = 1, string text =
        "Small right pleural effusion.\nNo pneumothorax | heart size 12^3 & normal \\ stable.") => new(
        "draft-key-1", version, status, "PAT-7", "HOSP-A", "Müller^Anna", "19700101", "F", "ORD-9", "ACC-42",
        new Hl7Code("36554-4", "XR Chest Single view", "LN"), "20240501101500", text, "llava-rad 1.0.0",
        new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void PythonHl7ReadsTheSegmentsOrderAndPreliminaryStatus()
    {
        var read = Parse(OruR01Builder.Build(Draft(), Endpoints));
        Assert.Equal(["MSH", "PID", "ORC", "OBR", "OBX", "OBX", "OBX", "OBX"], read.GetProperty("segments").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("ORU^R01^ORU_R01", read.GetProperty("type").GetString());
        Assert.Equal("2.5.1", read.GetProperty("version").GetString());
        Assert.Equal("PAT-7", read.GetProperty("patientId").GetString());
        Assert.Equal("HOSP-A", read.GetProperty("issuer").GetString());
        Assert.Equal("Müller", read.GetProperty("familyName").GetString());
        Assert.Equal("Anna", read.GetProperty("givenName").GetString());
        Assert.Equal("ACC-42", read.GetProperty("accession").GetString());
        Assert.Equal("36554-4", read.GetProperty("procedure").GetString());
        Assert.Equal("P", read.GetProperty("resultStatus").GetString());
        var obx = read.GetProperty("obx").EnumerateArray().ToList();
        Assert.All(obx, o => Assert.Equal("TX", o.GetProperty("type").GetString()));
        Assert.All(obx, o => Assert.Equal("P", o.GetProperty("status").GetString()));
        Assert.Contains("UNREVIEWED AI DRAFT", obx[0].GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Equal("Small right pleural effusion.", obx[2].GetProperty("value").GetString());
        // The delimiters in the text survive escaping: python3-hl7 unescapes them back.
        Assert.Equal("No pneumothorax | heart size 12^3 & normal \\ stable.", obx[3].GetProperty("value").GetString());
    }

    [Theory]
    [InlineData(ResultStatus.Final, "F")]
    [InlineData(ResultStatus.Corrected, "C")]
    public void SignedAndCorrectedResultsCarryTheirStatus(ResultStatus status, string expected)
    {
        var read = Parse(OruR01Builder.Build(Draft(status), Endpoints));
        Assert.Equal(expected, read.GetProperty("resultStatus").GetString());
        Assert.All(read.GetProperty("obx").EnumerateArray(), o => Assert.Equal(expected, o.GetProperty("status").GetString()));
    }

    [Fact]
    public void TheControlIdIsStablePerDraftVersionAndNewForTheNext()
    {
        var first = Parse(OruR01Builder.Build(Draft(), Endpoints)).GetProperty("controlId").GetString();
        var again = Parse(OruR01Builder.Build(Draft(), Endpoints)).GetProperty("controlId").GetString();
        var next = Parse(OruR01Builder.Build(Draft(version: 2), Endpoints)).GetProperty("controlId").GetString();
        Assert.Equal(first, again);
        Assert.NotEqual(first, next);
        Assert.InRange(first!.Length, 1, 20);
    }

    private static JsonElement Parse(string message)
    {
        using var dir = new TempDirectory();
        var file = dir.File("oru.hl7");
        File.WriteAllText(file, message);
        return JsonDocument.Parse(ExternalTool.Run("/usr/bin/python3", Python.Script("parse_oru.py"), file)).RootElement.Clone();
    }
}
