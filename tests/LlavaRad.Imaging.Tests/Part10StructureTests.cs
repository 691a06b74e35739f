using LlavaRad.Imaging.Part10;

namespace LlavaRad.Imaging.Tests;

/// <summary>Sequences of defined and undefined length, private tags and character sets, written by pydicom and dcmtk.</summary>
public class Part10StructureTests
{
    public static TheoryData<string> StructureVariants() =>
        new(GoldenFiles.Manifest.GetProperty("structure").EnumerateArray().Select(v => v.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(StructureVariants))]
    public void ReadsNestedSequencesTextAndPixelsPastPrivateElements(string name)
    {
        var entry = GoldenFiles.Manifest.GetProperty("structure").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);
        var source = new Part10ImageReader().Read(File.ReadAllBytes(GoldenFiles.Dicom(name)));
        var attributes = source.Attributes;

        if (entry.TryGetProperty("patientName", out var patientName))
        {
            Assert.Equal(patientName.GetString(), attributes.GetString(DicomTag.PatientName));
            Assert.Equal(entry.GetProperty("studyDescription").GetString(), attributes.GetString(DicomTag.StudyDescription));
        }
        if (entry.TryGetProperty("sequenceCodes", out var codes))
        {
            var found = new List<string?>();
            for (var level = attributes.GetSequence(DicomTag.AnatomicRegionSequence); level.Count > 0; level = level[0].GetSequence(DicomTag.AnatomicRegionSequence))
                found.Add(level[0].GetString(DicomTag.CodeValue));
            Assert.Equal(codes.EnumerateArray().Select(c => c.GetString()), found);
            Assert.Equal("PA", attributes.GetString(DicomTag.ViewPosition)); // an element after the private block still reads
        }
        var frame = source.DecodeFirstFrame();
        Assert.Equal(GoldenFiles.ReadPgm(name).Pixels.Length, frame.Length);
    }

    [Fact]
    public void SampleStudyKeyAttributesAgreeWithDcmtk()
    {
        var root = Path.Combine(ExternalTool.RepoRoot(), "sample-studies");
        foreach (var file in Directory.EnumerateFiles(root, "*.dcm", SearchOption.AllDirectories))
        {
            var attributes = new Part10ImageReader().Read(File.ReadAllBytes(file)).Attributes;
            foreach (var (tag, text) in new[] { (DicomTag.SopInstanceUid, "0008,0018"), (DicomTag.Modality, "0008,0060"),
                         (DicomTag.ViewPosition, "0018,5101"), (DicomTag.PhotometricInterpretation, "0028,0004"), (DicomTag.StudyInstanceUid, "0020,000d") })
                Assert.Equal(ExternalTool.DcmtkTag(file, text), attributes.GetString(tag));
        }
    }

    [Fact]
    public void ImplicitVrSignedPaddingRangeReadsAsSignedValues()
    {
        var attributes = new Part10ImageReader().Read(File.ReadAllBytes(GoldenFiles.Dicom("pixel-padding-range-signed-implicit"))).Attributes;
        Assert.Equal(new Grayscale.PixelPadding(-2048, -2028), Grayscale.PixelPadding.From(attributes, signed: true));
    }
}
