using System.Security.Cryptography;
using System.Text.Json;
using LlavaRad.Imaging;
using LlavaRad.Imaging.Part10;
using LlavaRad.Training.Synthetic;

namespace LlavaRad.Training.Tests;

public sealed class SyntheticDicomTests
{
    private static readonly string GoldenFile = Path.Combine(AppContext.BaseDirectory, "Golden", "synthetic-dicom.golden.json");

    [Fact]
    public void GeneratedFilesDecodeInPydicomToThePixelsAndAttributesOurReaderSees()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(GoldenFile));
        var generator = new SyntheticCaseGenerator(seed: 7, imageSize: 64);
        var index = 0;
        foreach (var expected in golden.RootElement.EnumerateArray())
        {
            var generated = generator.Generate(index++);
            Assert.Equal(expected.GetProperty("file").GetString(), generated.Name + ".dcm");
            Assert.Equal(expected.GetProperty("findings").GetString(), generated.FindingsText);

            var source = new Part10ImageReader().Read(generated.Dicom);
            Assert.Equal(expected.GetProperty("transfer_syntax").GetString(), source.TransferSyntaxUid);
            Assert.Equal(expected.GetProperty("sop_instance").GetString(), source.Attributes.GetString(DicomTag.SopInstanceUid));
            Assert.Equal(expected.GetProperty("photometric").GetString(), source.Attributes.GetString(DicomTag.PhotometricInterpretation));
            var frame = source.DecodeFirstFrame();
            Assert.Equal(expected.GetProperty("rows").GetInt32(), frame.Height);
            Assert.Equal(expected.GetProperty("columns").GetInt32(), frame.Width);
            Assert.Equal(expected.GetProperty("bits_stored").GetInt32(), frame.BitsStored);
            var bytes = frame.Words.SelectMany(w => BitConverter.GetBytes(w)).ToArray();
            Assert.Equal(expected.GetProperty("pixel_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        Assert.Equal(4, index);
    }

    [Fact]
    public void TheSameSeedAndIndexGiveTheSameFileAndOtherIndicesDiffer()
    {
        var a = new SyntheticCaseGenerator(seed: 11, imageSize: 64);
        var b = new SyntheticCaseGenerator(seed: 11, imageSize: 64);
        Assert.Equal(a.Generate(3).Dicom, b.Generate(3).Dicom);
        Assert.NotEqual(a.Generate(3).Dicom, a.Generate(4).Dicom);
        Assert.NotEqual(a.Generate(3).Dicom, new SyntheticCaseGenerator(seed: 12, imageSize: 64).Generate(3).Dicom);
    }

    [Fact]
    public void FilesReadBackThroughTheGrayscalePipelineAs8BitImagesOfTheWrittenSize()
    {
        var image = SyntheticImageReader.Read(new SyntheticCaseGenerator(seed: 3, imageSize: 80).Generate(0).Dicom);
        Assert.Equal((80, 80, 1), (image.Width, image.Height, image.Channels));
        Assert.True(image.Pixels.Max() - image.Pixels.Min() > 200, "histogram equalisation should spread the levels");
    }
}
