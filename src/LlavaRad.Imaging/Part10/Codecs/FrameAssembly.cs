using LlavaRad.Imaging.Grayscale;

namespace LlavaRad.Imaging.Part10.Codecs;

/// <summary>
/// Decoded samples to the stored frame the grayscale pipeline reads: grayscale samples read with the dataset's
/// BitsStored and sign; colour reduced to BT.601 luma (Y itself for YBR_FULL and YBR_FULL_422, which codecs hand
/// back undecorrelated; RGB, and J2K's YBR_ICT/YBR_RCT that OpenJPEG turns back into RGB, by the weighted sum).
/// The planes may be a codec's own native buffers: nothing is copied before the one pass into 16-bit words.
/// </summary>
internal static class FrameAssembly
{
    public static StoredPixelFrame ToStoredFrame(DecodedSamples decoded, PixelFormat format) =>
        format.IsColour && !format.LumaIsFirstComponent
            ? ToStoredFrame(decoded.Component(0), decoded.Component(1), decoded.Component(2), format)
            : ToStoredFrame(decoded.Component(0), default, default, format);

    /// <summary>Component 0 (the grayscale samples, or Y, or R) and, for RGB-like colour only, components 1 and 2.</summary>
    public static StoredPixelFrame ToStoredFrame(ReadOnlySpan<int> first, ReadOnlySpan<int> second, ReadOnlySpan<int> third, PixelFormat format)
    {
        var words = GC.AllocateUninitializedArray<ushort>(format.PixelCount);
        if (!format.IsColour)
        {
            ToWords(first, words, format);
            return new StoredPixelFrame(format.Columns, format.Rows, words, format.BitsStored, format.Signed);
        }
        var max = (1 << format.BitsStored) - 1;
        if (format.LumaIsFirstComponent)
        {
            for (var i = 0; i < words.Length; i++) words[i] = (ushort)Math.Clamp(first[i], 0, max);
        }
        else
        {
            for (var i = 0; i < words.Length; i++) words[i] = (ushort)Math.Clamp(Bt601.Luma(first[i], second[i], third[i]), 0, max);
        }
        return new StoredPixelFrame(format.Columns, format.Rows, words, format.BitsStored, Signed: false, FromColour: true);
    }

    /// <summary>Grayscale samples to stored words, read with the dataset's BitsStored and sign.</summary>
    public static void ToWords(ReadOnlySpan<int> samples, Span<ushort> words, PixelFormat format)
    {
        for (var i = 0; i < words.Length; i++) words[i] = (ushort)format.FromDecoded(samples[i]);
    }
}
