namespace LlavaRad.Imaging.Tests;

public class DicomJsonDatasetTests
{
    // Shaped like a QIDO-RS study answer (PS3.18 F.2): PN as an object, IS as a JSON number, a sequence.
    private const string Answer = """
        [{
          "0020000D": {"vr": "UI", "Value": ["1.2.3.4"]},
          "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Doe^Jane"}]},
          "00201208": {"vr": "IS", "Value": [3]},
          "00080061": {"vr": "CS", "Value": ["DX", "PR"]},
          "00080050": {"vr": "SH"},
          "00081199": {"vr": "SQ", "Value": [{"00081155": {"vr": "UI", "Value": ["9.8.7"]}}]}
        }]
        """;

    [Fact]
    public void ReadsStringsNamesNumbersAndSequences()
    {
        var study = Assert.Single(DicomJsonDataset.ParseArray(Answer));

        Assert.Equal("1.2.3.4", study.GetString(DicomTag.StudyInstanceUid));
        Assert.Equal("Doe^Jane", study.GetString(0x00100010));
        Assert.Equal(3, study.GetInt(DicomTag.NumberOfStudyRelatedInstances));
        Assert.Equal("DX", study.GetString(DicomTag.ModalitiesInStudy));
        Assert.Equal("9.8.7", Assert.Single(study.GetSequence(DicomTag.ReferencedSopSequence)).GetString(DicomTag.ReferencedSopInstanceUid));
    }

    [Fact]
    public void AttributeWithoutValueReadsAsAbsent()
    {
        var study = Assert.Single(DicomJsonDataset.ParseArray(Answer));
        Assert.Null(study.GetString(DicomTag.AccessionNumber));
        Assert.Null(study.GetString(DicomTag.SopClassUid));
        Assert.Empty(study.GetSequence(DicomTag.FailedSopSequence));
    }

    [Fact]
    public void EmptyBodyIsNoDatasetsAndANonArrayIsAnError()
    {
        Assert.Empty(DicomJsonDataset.ParseArray(""));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => DicomJsonDataset.ParseArray("""{"a": 1}"""));
    }

    [Fact]
    public void InlineBinaryLutDataAndBulkDataUriAreReadable()
    {
        var json = """
            [{
              "00283006": {"vr": "OW", "InlineBinary": "AQACAP//"},
              "00283002": {"vr": "US", "Value": [3, 0, 16]},
              "7FE00010": {"vr": "OW", "BulkDataURI": "http://pacs/bulk/7fe00010"}
            }]
            """;
        var dataset = Assert.Single(DicomJsonDataset.ParseArray(json));
        Assert.Equal(new ushort[] { 1, 2, 0xFFFF }, dataset.GetWords(DicomTag.LutData));
        Assert.Equal(new ushort[] { 3, 0, 16 }, dataset.GetWords(DicomTag.LutDescriptor));
        Assert.Equal("http://pacs/bulk/7fe00010", dataset.GetBulkDataUri(DicomTag.PixelData));
        Assert.Null(dataset.GetBulkDataUri(DicomTag.LutData));
    }
}
