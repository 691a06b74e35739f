using System.Numerics;

namespace LlavaRad.Imaging.Grayscale;

/// <summary>
/// Stored pixel values to an 8-bit image (PS3.3 C.7.6.3, C.11): Modality LUT, then VOI LUT, then the Presentation LUT
/// inversion, then the profile's extra step. The chain is evaluated once per stored value between the image's min and
/// max into a byte table, then looked up per pixel, so a 12-bit image costs at most 4096 evaluations, not one per pixel.
/// </summary>
public static class GrayscalePipeline
{
    public static GrayscaleResult Convert(StoredPixelFrame frame, IDicomAttributes attributes, GrayscaleProfile profile = GrayscaleProfile.Plain)
    {
        if (frame.FromColour) return WithProfile(ColourLuma(frame), profile);
        var modality = ModalityLut.From(attributes, frame.Signed);
        var (minStored, maxStored) = MinMax(frame, padding: null);
        // Padding (the area outside the collimated field) must not stretch the min/max window.
        var padding = PixelPadding.From(attributes, frame.Signed);
        var (minImage, maxImage) = MinMax(frame, padding);
        var (modalityMin, modalityMax) = ModalityRange(frame, modality, padding, modality.Apply(minImage), modality.Apply(maxImage));

        var voi = VoiLut.Choose(attributes, modalityMin, modalityMax);
        var (invert, presentation) = PresentationLut.Decide(attributes);

        var table = new byte[maxStored - minStored + 1];
        for (var stored = minStored; stored <= maxStored; stored++)
        {
            var display = voi.Apply(modality.Apply(stored));
            display = double.IsNaN(display) ? 0 : Math.Clamp(display, 0, 1); // absurd rescale values from a broken file
            var level = (int)Math.Round(display * 255, MidpointRounding.AwayFromZero);
            table[stored - minStored] = (byte)(invert ? 255 - level : level);
        }
        var pixels = new byte[frame.Length];
        if (frame.Signed) Lookup(frame.SignedValues, table, minStored, pixels);
        else Lookup<ushort>(frame.Words, table, minStored, pixels);

        var steps = new List<string>
        {
            $"stored: {frame.BitsStored} bits {(frame.Signed ? "signed" : "unsigned")}, values {minStored} .. {maxStored}"
                + (padding is { } p ? $", padding {p.Low} .. {p.High} left out of min/max" : ""),
            $"modality LUT: {modality.Description}",
            $"VOI LUT: {voi.Description}",
            $"presentation: {presentation}",
        };
        return WithProfile(new GrayscaleResult(new Gray8Image(frame.Width, frame.Height, pixels), steps), profile);
    }

    // The Modality, VOI and Presentation LUTs are grayscale transforms (PS3.3 C.11); colour is shown as it is, like
    // a server's /rendered shows it: luma scaled from the samples' range to 8 bits.
    private static GrayscaleResult ColourLuma(StoredPixelFrame frame)
    {
        var max = (1 << frame.BitsStored) - 1;
        var pixels = new byte[frame.Length];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)Math.Round(frame.Words[i] * 255.0 / max, MidpointRounding.AwayFromZero);
        return new GrayscaleResult(new Gray8Image(frame.Width, frame.Height, pixels),
            [$"colour: BT.601 luma of {frame.BitsStored}-bit samples, no grayscale LUTs"]);
    }

    private static GrayscaleResult WithProfile(GrayscaleResult result, GrayscaleProfile profile)
    {
        if (profile != GrayscaleProfile.MimicCxrJpg) return result;
        HistogramEqualization.Apply(result.Image.Pixels);
        return result with { Steps = [.. result.Steps, "profile mimic-cxr-jpg: histogram equalisation"] };
    }

    private static void Lookup<T>(ReadOnlySpan<T> values, byte[] table, int minStored, byte[] pixels) where T : unmanaged, IBinaryInteger<T>
    {
        for (var i = 0; i < pixels.Length; i++) pixels[i] = table[int.CreateTruncating(values[i]) - minStored];
    }

    // The frame's words read once with their sign: the loops below are compiled for short and for ushort.
    private static (int Min, int Max) MinMax(StoredPixelFrame frame, PixelPadding? padding) =>
        frame.Signed ? MinMax(frame.SignedValues, padding) : MinMax<ushort>(frame.Words, padding);

    private static (int Min, int Max) MinMax<T>(ReadOnlySpan<T> values, PixelPadding? padding) where T : unmanaged, IBinaryInteger<T>
    {
        int min = int.MaxValue, max = int.MinValue;
        foreach (var word in values)
        {
            var v = int.CreateTruncating(word);
            if (padding is { } p && p.Contains(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (min > max) return padding is null ? (0, 0) : MinMax(values, null); // all padding: use everything
        return (min, max);
    }

    // A rescale is monotonic, so its ends suffice; a Modality LUT need not be, so look at every value present.
    private static (double Min, double Max) ModalityRange(StoredPixelFrame frame, ModalityLut modality, PixelPadding? padding, double atMin, double atMax)
    {
        if (!modality.IsLookupTable) return (Math.Min(atMin, atMax), Math.Max(atMin, atMax));
        double min = double.MaxValue, max = double.MinValue;
        var distinct = new HashSet<int>();
        for (var i = 0; i < frame.Length; i++) distinct.Add(frame[i]);
        foreach (var stored in distinct)
        {
            if (padding is { } p && p.Contains(stored)) continue;
            var value = modality.Apply(stored);
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }
        return min > max ? (atMin, atMax) : (min, max);
    }
}

/// <summary>The 8-bit image and, in words, each step that made it (for `inspect` and Provenance).</summary>
public sealed record GrayscaleResult(Gray8Image Image, IReadOnlyList<string> Steps);
