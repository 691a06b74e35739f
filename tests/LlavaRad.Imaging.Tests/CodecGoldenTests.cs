using System.IO.Compression;
using System.Text.Json;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;

namespace LlavaRad.Imaging.Tests;

/// <summary>
/// Every compressed golden (golden/codecs/make_codec_golden.py: dcmtk and GDCM compressions of small variants and of
/// python3-pydicom's vendor files; HTJ2K encoded by OpenJPH) decodes to what an independent decoder (dcmtk's
/// IJG/JPEG-LS/RLE, GDCM's J2K, OpenJPH's HTJ2K) decoded: exactly for the lossless and exactly-specified syntaxes, within one grey level after the grayscale
/// pipeline for DCT JPEG and irreversible JPEG 2000.
/// </summary>
public class CodecGoldenTests
{
    private static readonly string Folder = Path.Combine(GoldenFiles.Folder, "codecs");
    private static readonly string PydicomTestFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    private static JsonElement Case(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "codecs.json"))).RootElement
        .GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static TheoryData<string> Cases()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "codecs.json")));
        return new(manifest.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecodesLikeAnIndependentDecoder(string name)
    {
        var entry = Case(name);
        var file = entry.GetProperty("file").GetString()!;
        var path = file.StartsWith("pydicom:") ? Path.Combine(PydicomTestFiles, file["pydicom:".Length..]) : Path.Combine(Folder, file);
        var source = new Part10ImageReader().Read(File.ReadAllBytes(path));
        Assert.Equal(entry.GetProperty("syntax").GetString(), source.TransferSyntaxUid);
        if (entry.GetProperty("expect").GetString() is not "decoded" and var code)
        {
            Assert.Equal(code, Assert.Throws<DicomReadException>(source.DecodeFirstFrame).Code);
            return;
        }
        var ours = source.DecodeFirstFrame();
        var expected = Reference(name);
        Assert.Equal((entry.GetProperty("width").GetInt32(), entry.GetProperty("height").GetInt32()), (ours.Width, ours.Height));
        Assert.Equal(entry.GetProperty("kind").GetString() == "luma", ours.FromColour);

        if (entry.GetProperty("exact").GetBoolean())
        {
            var first = Enumerable.Range(0, expected.Length).FirstOrDefault(i => expected[i] != ours[i], -1);
            Assert.True(first < 0, $"{name}: pixel {first} is {(first < 0 ? 0 : ours[first])}, the reference decoder gave {(first < 0 ? 0 : expected[first])}");
            return;
        }
        var theirs = GrayscalePipeline.Convert(ours with { Words = expected.Select(v => (ushort)v).ToArray() }, source.Attributes).Image;
        var mine = GrayscalePipeline.Convert(ours, source.Attributes).Image;
        var worst = theirs.Pixels.Zip(mine.Pixels, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1, $"{name}: after the grayscale pipeline a pixel differs by {worst} grey levels from the reference decode");
    }

    [Fact]
    public void TheGoldensCoverEveryDecodedSyntax()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "codecs.json")));
        var syntaxes = manifest.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("syntax").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
            "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",
            "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203" }, syntaxes);
    }

    [Fact]
    public void CommittedGoldensAreWhatTheScriptMakes()
    {
        var output = ExternalTool.Run("/usr/bin/python3", Path.Combine(Folder, "make_codec_golden.py"), "--check");
        Assert.Contains("identical", output);
    }

    private static int[] Reference(string name)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(Folder, "cases", name + ".ref.gz")), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes.ToArray()).ToArray();
    }
}
