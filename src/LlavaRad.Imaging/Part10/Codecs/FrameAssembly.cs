using LlavaRad.Imaging.Grayscale;

namespace LlavaRad.Imaging.Part10.Codecs;

/// <summary>
/// Decoded samples to the stored frame the grayscale pipeline reads: grayscale samples read with the dataset's
/// BitsStored and sign; colour reduced to BT.601 luma (Y itself for YBR_FULL and YBR_FULL_422, which codecs hand
/// back undecorrelated; RGB, and J2K's YBR_ICT/YBR_RCT that OpenJPEG turns back into RGB, by the weighted sum).
/// </summary>
internal static class FrameAssembly
{
    public static StoredPixelFrame ToStoredFrame(DecodedSamples decoded, PixelFormat format)
    {
        var values = new int[decoded.PixelCount];
        if (!format.IsColour)
        {
            var samples = decoded.Component(0);
            for (var i = 0; i < values.Length; i++) values[i] = format.FromDecoded(samples[i]);
            return new StoredPixelFrame(format.Columns, format.Rows, values, format.BitsStored, format.Signed);
        }
        var max = (1 << format.BitsStored) - 1;
        if (format.LumaIsFirstComponent)
        {
            var y = decoded.Component(0);
            for (var i = 0; i < values.Length; i++) values[i] = Math.Clamp(y[i], 0, max);
        }
        else
        {
            ReadOnlySpan<int> r = decoded.Component(0), g = decoded.Component(1), b = decoded.Component(2);
            for (var i = 0; i < values.Length; i++) values[i] = Math.Clamp(Bt601.Luma(r[i], g[i], b[i]), 0, max);
        }
        return new StoredPixelFrame(format.Columns, format.Rows, values, format.BitsStored, Signed: false, FromColour: true);
    }
}
