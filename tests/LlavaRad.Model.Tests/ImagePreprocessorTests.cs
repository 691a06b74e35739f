using System.Text;
using System.Text.Json;
using LlavaRad.Model.Preprocessing;
using static TorchSharp.torch;

namespace LlavaRad.Model.Tests;

/// <summary>Against Pillow 9.4 + the torchvision transform steps (Golden/preprocess, made by make_golden.py).</summary>
public class ImagePreprocessorTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        using var json = GoldenData.Json(Path.Combine("preprocess", "cases.json"));
        foreach (var c in json.RootElement.EnumerateArray()) data.Add(c.GetProperty("name").GetString()!, c.GetProperty("size").GetInt32());
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResizeAndCropAreExactlyPillowsPixels(string name, int size)
    {
        var input = ReadPgm(GoldenData.File(Path.Combine("preprocess", name + ".input.pgm")));
        var expected = ReadPgm(GoldenData.File(Path.Combine("preprocess", name + ".expected.pgm")));

        var planes = ImagePreprocessor.ResizeAndCrop(input, size);

        Assert.Single(planes);
        Assert.Equal((size, size), (expected.Width, expected.Height));
        var differing = expected.Pixels.Zip(planes[0]).Count(p => p.First != p.Second);
        Assert.True(differing == 0, $"{differing} of {expected.Pixels.Length} pixels differ from Pillow");
    }

    [Fact]
    public void RgbInputWithEqualChannelsGivesTheGrayscaleResult()
    {
        var gray = ReadPgm(GoldenData.File(Path.Combine("preprocess", "case1-331x250-to-96.input.pgm")));
        var rgb = new PixelImage(gray.Width, gray.Height, 3, gray.Pixels.SelectMany(p => new[] { p, p, p }).ToArray());
        var fromRgb = ImagePreprocessor.ResizeAndCrop(rgb, 96);
        var fromGray = ImagePreprocessor.ResizeAndCrop(gray, 96)[0];
        Assert.All(fromRgb, plane => Assert.Equal(fromGray, plane));
    }

    [Fact]
    public void NormalizedTensorMatchesToTensorThenNormalize()
    {
        var golden = GoldenData.Tensors(Path.Combine("preprocess", "normalized.safetensors"));
        var model = ModelConfig.Load(GoldenData.File(Path.Combine("tiny-model", "config.json")));
        foreach (var (name, expected) in golden)
        {
            var size = (int)expected.shape[^1];
            var input = ReadPgm(GoldenData.File(Path.Combine("preprocess", name + ".input.pgm")));
            using var ours = ImagePreprocessor.ToModelInput(input, model with { VisionConfig = model.VisionConfig with { ImageSize = size } });
            ReferenceModelTests.AssertClose(expected, ours, 1e-6f);
            expected.Dispose();
        }
    }

    [Fact]
    public void WrongPixelCountIsRejectedWithTheSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => ImagePreprocessor.ResizeAndCrop(new PixelImage(10, 10, 1, new byte[99]), 8));
        Assert.Contains("10x10x1", error.Message);
    }

    /// <summary>Binary PGM (P5) as the golden script writes it: "P5\nW H\n255\n" + bytes.</summary>
    internal static PixelImage ReadPgm(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var newlines = 0;
        var headerEnd = 0;
        while (newlines < 3) if (bytes[headerEnd++] == '\n') newlines++;
        var header = Encoding.ASCII.GetString(bytes, 0, headerEnd).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        int width = int.Parse(header[1]), height = int.Parse(header[2]);
        return new PixelImage(width, height, 1, bytes[headerEnd..]);
    }
}
