using LlavaRad.Training.Synthetic;

namespace LlavaRad.Training.Tests;

/// <summary>
/// Each finding changes the image where a radiologist would look. The same seed gives the same anatomy, so two
/// renders that differ in one finding differ only through it.
/// </summary>
public sealed class ChestPhantomTests
{
    private const int Size = 128;

    private static double[] Render(SyntheticFindings findings, int seed = 21) =>
        new ChestPhantom(findings, Severity.Moderate, new Random(seed)).Render(Size, Size, new Random(seed));

    /// <summary>Mean density in a box given in [-1, 1] image coordinates (u right, v down).</summary>
    private static double Mean(double[] d, double u0, double u1, double v0, double v1)
    {
        double sum = 0; var n = 0;
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
            {
                double u = (x + 0.5) / Size * 2 - 1, v = (y + 0.5) / Size * 2 - 1;
                if (u < u0 || u > u1 || v < v0 || v > v1) continue;
                sum += d[y * Size + x];
                n++;
            }
        return sum / n;
    }

    [Fact]
    public void ARightEffusionWhitensTheBaseOfTheImageLeftHemithoraxOnly()
    {
        var normal = Render(SyntheticFindings.Normal);
        var effusion = Render(SyntheticFindings.Normal with { Effusion = Side.Right });
        Assert.True(Mean(effusion, -0.6, -0.4, 0.1, 0.3) > Mean(normal, -0.6, -0.4, 0.1, 0.3) + 0.1);
        Assert.Equal(Mean(normal, 0.4, 0.6, 0.1, 0.3), Mean(effusion, 0.4, 0.6, 0.1, 0.3), 6);
    }

    [Fact]
    public void CardiomegalyWidensTheHeartShadow()
    {
        var normal = new ChestPhantom(SyntheticFindings.Normal, Severity.Small, new Random(4));
        var enlarged = new ChestPhantom(SyntheticFindings.Normal with { Cardiomegaly = true }, Severity.Small, new Random(4));
        Assert.InRange(normal.CardiothoracicRatio, 0.38, 0.47);
        Assert.InRange(enlarged.CardiothoracicRatio, 0.58, 0.68);
        // Just lateral to a normal heart's border (image right = patient left) lung becomes heart.
        var a = normal.Render(Size, Size, new Random(4));
        var b = enlarged.Render(Size, Size, new Random(4));
        Assert.True(Mean(b, 0.36, 0.42, 0.1, 0.2) > Mean(a, 0.36, 0.42, 0.1, 0.2) + 0.15);
    }

    [Fact]
    public void ALeftPneumothoraxDarkensTheLateralImageRightLungAndRemovesItsMarkings()
    {
        var normal = Render(SyntheticFindings.Normal);
        var pneumothorax = Render(SyntheticFindings.Normal with { Pneumothorax = Side.Left });
        Assert.True(Mean(pneumothorax, 0.58, 0.6, -0.3, 0.0) < Mean(normal, 0.58, 0.6, -0.3, 0.0) - 0.03);
        Assert.Equal(Mean(normal, -0.6, -0.58, -0.3, 0.0), Mean(pneumothorax, -0.6, -0.58, -0.3, 0.0), 6);
    }

    [Fact]
    public void ASupportDeviceAddsBrightPixelsNoAnatomyReaches()
    {
        // At the generator's own size (256): the lines are a few pixels wide there.
        static double[] At256(SyntheticFindings f) => new ChestPhantom(f, Severity.Small, new Random(21)).Render(256, 256, new Random(21));
        var without = At256(SyntheticFindings.Normal).Count(x => x > 0.75);
        foreach (var device in new[] { SupportDevice.EndotrachealTube, SupportDevice.CentralLine, SupportDevice.Pacemaker })
        {
            var with = At256(SyntheticFindings.Normal with { Device = device }).Count(x => x > 0.75);
            Assert.True(with > without + 50, $"{device}: {with} bright pixels, {without} without a device");
        }
    }
}
