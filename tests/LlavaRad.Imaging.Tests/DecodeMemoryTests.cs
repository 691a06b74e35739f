using System.Collections.Concurrent;
using LlavaRad.Imaging.Part10;
using Xunit.Abstractions;

namespace LlavaRad.Imaging.Tests;

/// <summary>
/// Issue 13: decoding the largest image the reader accepts grows the resident set by no more than 3 × its decoded
/// 16-bit frame. Each decode runs in its own process (<see cref="DecodeMemoryProbe"/>), so nothing else in the test
/// run shares its memory.
/// </summary>
public sealed class DecodeMemoryTests(LargestAcceptedImage image, ITestOutputHelper output) : IClassFixture<LargestAcceptedImage>
{
    [Theory]
    [InlineData("native")]
    [InlineData("gdcmconv --j2k")]
    [InlineData("dcmcjpls +el")]
    [InlineData("dcmcjpeg +e1")]
    [InlineData("dcmcjpeg +ee")]
    public void DecodingTheLargestAcceptedImageGrowsRssByAtMostThreeDecodedFrames(string encoding)
    {
        var file = image.Encoded(encoding);
        var probe = typeof(DecodeMemoryProbe).Assembly.Location;
        var fields = ExternalTool.Run(TimeSpan.FromMinutes(5), "dotnet", probe, "decode-rss", file).Trim().Split(' ').Select(long.Parse).ToArray();
        var (beforeKb, peakKb) = (fields[0], fields[1]);
        Assert.Equal((image.Side, image.Side), (fields[2], fields[3]));

        var frameBytes = (long)image.Side * image.Side * 2;
        var growth = (peakKb - beforeKb) * 1024;
        output.WriteLine($"{encoding}: {image.Side} x {image.Side}, RSS {beforeKb} kB -> peak {peakKb} kB: growth {growth / 1048576} MiB = {(double)growth / frameBytes:F2} x the {frameBytes / 1048576} MiB 16-bit frame");
        Assert.True(growth <= 3 * frameBytes, $"{encoding}: decoding grew RSS by {(double)growth / frameBytes:F2} x the 16-bit frame");
    }
}

/// <summary>The largest Rows × Columns the reader accepts (square), made by memory/make_largest.py (pydicom) and
/// compressed on demand by dcmtk or GDCM, in a temp folder.</summary>
public sealed class LargestAcceptedImage : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConcurrentDictionary<string, Lazy<string>> _encoded = new();

    public LargestAcceptedImage()
    {
        Side = (int)Math.Sqrt(DicomReadLimits.Default.MaxPixels);
        Native = _dir.File("native.dcm");
        var script = Path.Combine(ExternalTool.RepoRoot(), "tests", "LlavaRad.Imaging.Tests", "memory", "make_largest.py");
        ExternalTool.Run(TimeSpan.FromMinutes(3), "/usr/bin/python3", script, Native, Side.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public int Side { get; }
    private string Native { get; }

    /// <summary>"native", or a compressor command line that takes IN OUT.</summary>
    public string Encoded(string encoding) => encoding == "native" ? Native : _encoded.GetOrAdd(encoding, e => new Lazy<string>(() =>
    {
        var tool = e.Split(' ');
        var file = _dir.File($"{tool[0]}.dcm");
        ExternalTool.Run(TimeSpan.FromMinutes(5), tool[0], [.. tool[1..], Native, file]);
        return file;
    })).Value;

    public void Dispose() => _dir.Dispose();
}
