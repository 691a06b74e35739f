using LlavaRad.Imaging.Png;

namespace LlavaRad.Cli.Tests;

public class ImageCommandTests
{
    private static readonly string Samples = Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "studies");
    private static readonly string Mono1 = Path.Combine(Samples, "ap-portable-chest-cr-mono1", "series01-ap-portable.dcm");

    [Fact]
    public async Task ConvertImageWritesAPngThatMatchesDcmj2pnm()
    {
        using var temp = new TempDirectory();
        var stdout = new StringWriter();

        var exit = await CliApp.RunAsync(["convert-image", Mono1, temp.File("out.png"), "--profile", "plain"], stdout, new StringWriter());

        Assert.Equal(CliApp.Ok, exit);
        ExternalTool.Run("dcmj2pnm", "+Wi", "1", Mono1, temp.File("dcmtk.pgm"));
        var pgm = File.ReadAllBytes(temp.File("dcmtk.pgm"));
        var png = PngGrayDecoder.Decode(File.ReadAllBytes(temp.File("out.png")));
        Assert.Equal((640, 560), (png.Width, png.Height));
        Assert.True(pgm[^png.Pixels.Length..].Zip(png.Pixels, (a, b) => Math.Abs(a - b)).Max() <= 1);
        Assert.Contains("invert (MONOCHROME1)", stdout.ToString());
    }

    [Fact]
    public async Task MimicProfileEqualisesTheHistogram()
    {
        using var temp = new TempDirectory();
        Assert.Equal(CliApp.Ok, await CliApp.RunAsync(["convert-image", Mono1, temp.File("a.png"), "--profile", "mimic-cxr-jpg"], new StringWriter(), new StringWriter()));
        var pixels = PngGrayDecoder.Decode(File.ReadAllBytes(temp.File("a.png"))).Pixels;
        // Equalised: the grey levels spread over the whole range and the median sits near the middle.
        Assert.Equal(255, pixels.Max());
        Assert.InRange(pixels.Order().ElementAt(pixels.Length / 2), 100, 155);
    }

    [Theory]
    [InlineData(new[] { "convert-image", "only-one.dcm" }, "Required argument missing")]
    [InlineData(new[] { "convert-image", "a.dcm", "b.png", "--profile", "pretty" }, "mimic-cxr-jpg")]
    [InlineData(new[] { "inspect" }, "Required argument missing")]
    public async Task BadUsageExitsTwo(string[] args, string message)
    {
        var stderr = new StringWriter();
        Assert.Equal(CliApp.Usage, await CliApp.RunAsync(args, new StringWriter(), stderr));
        Assert.Contains(message, stderr.ToString());
    }

    [Fact]
    public async Task ABrokenFileExitsOneNamingTheFileAndTheCode()
    {
        using var temp = new TempDirectory();
        var broken = temp.File("broken.dcm");
        await File.WriteAllBytesAsync(broken, File.ReadAllBytes(Mono1)[..2000]);
        var stderr = new StringWriter();

        Assert.Equal(CliApp.Failed, await CliApp.RunAsync(["convert-image", broken, temp.File("x.png")], new StringWriter(), stderr));
        Assert.Contains(broken, stderr.ToString());
        Assert.Matches(": (truncated|pixel-data-too-short): ", stderr.ToString());
    }

    [Fact]
    public async Task InspectShowsAttributesVerdictAndStepsButNoPatientIdentity()
    {
        var lateral = Path.Combine(Samples, "lateral-only-chest-dx", "series01-lateral.dcm");
        var stdout = new StringWriter();

        Assert.Equal(CliApp.Ok, await CliApp.RunAsync(["inspect", lateral], stdout, new StringWriter()));

        var text = stdout.ToString();
        Assert.Contains("TransferSyntaxUID: 1.2.840.10008.1.2", text);
        Assert.Contains("ViewPosition: LL", text);
        Assert.Contains("selection: no-frontal-view", text);
        Assert.Contains("VOI LUT: window", text);
        Assert.DoesNotContain(ExternalTool.DcmtkTag(lateral, "0010,0010"), text);
        Assert.DoesNotContain(ExternalTool.DcmtkTag(lateral, "0010,0020"), text);
    }
}
