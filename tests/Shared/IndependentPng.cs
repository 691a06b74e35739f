namespace LlavaRad.Tests.Shared;

/// <summary>PNGs of zeros written by Python's zlib (tests/Shared/make_png.py), not by our encoder.</summary>
public static class IndependentPng
{
    public const int Gray = 0, Rgb = 2, Palette = 3, GrayAlpha = 4, Rgba = 6;

    public static byte[] Zeros(int width, int height, int colorType, int bitDepth, bool interlaced = false)
    {
        using var temp = new TempDirectory();
        var script = Path.Combine(ExternalTool.RepoRoot(), "tests", "Shared", "make_png.py");
        ExternalTool.Run(TimeSpan.FromMinutes(5), "python3", script, temp.File("z.png"), $"{width}", $"{height}", $"{colorType}", $"{bitDepth}",
            interlaced ? "1" : "0");
        return File.ReadAllBytes(temp.File("z.png"));
    }
}
