namespace LlavaRad.Model.Preprocessing;

/// <summary>
/// Pillow's Image.resize(..., BICUBIC) for one 8-bit plane, pixel for pixel (libImaging/Resample.c): cubic kernel
/// with a = -0.5 whose support widens with the downscale factor (antialiasing), coefficients normalised per output
/// pixel and rounded to 22-bit fixed point, a horizontal pass then a vertical pass, each rounded and clipped to 0..255.
/// </summary>
public static class PilBicubicResampler
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const double Support = 2.0;

    public static byte[] Resize(byte[] plane, int width, int height, int newWidth, int newHeight)
    {
        if (plane.Length != width * height) throw new ArgumentException($"plane holds {plane.Length} bytes, not {width}x{height}");
        if (newWidth == width && newHeight == height) return (byte[])plane.Clone();
        var columns = Coefficients(width, newWidth);
        var rows = Coefficients(height, newHeight);

        var horizontal = plane;
        if (newWidth != width)
        {
            horizontal = new byte[newWidth * height];
            for (var y = 0; y < height; y++)
                for (var x = 0; x < newWidth; x++)
                    horizontal[y * newWidth + x] = Convolve(columns[x], plane, y * width, 1);
        }
        if (newHeight == height) return horizontal;
        var output = new byte[newWidth * newHeight];
        for (var y = 0; y < newHeight; y++)
            for (var x = 0; x < newWidth; x++)
                output[y * newWidth + x] = Convolve(rows[y], horizontal, x, newWidth);
        return output;
    }

    private sealed record Taps(int First, int[] Weights);

    /// <summary>Sum of source[offset + (First + i) * stride] * weight i, in 22-bit fixed point.</summary>
    private static byte Convolve(Taps taps, byte[] source, int offset, int stride)
    {
        var sum = 1 << (PrecisionBits - 1); // rounds the fixed-point result to nearest
        for (var i = 0; i < taps.Weights.Length; i++) sum += source[offset + (taps.First + i) * stride] * taps.Weights[i];
        return (byte)Math.Clamp(sum >> PrecisionBits, 0, 255);
    }

    /// <summary>precompute_coeffs + normalize_coeffs_8bpc for one axis.</summary>
    private static Taps[] Coefficients(int inSize, int outSize)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = Support * filterScale;
        var invScale = 1.0 / filterScale; // Pillow multiplies by the reciprocal; dividing can differ in the last bit
        var taps = new Taps[outSize];
        for (var xx = 0; xx < outSize; xx++)
        {
            var center = (xx + 0.5) * scale;
            var xmin = Math.Max((int)(center - support + 0.5), 0);
            var xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            var weights = new double[xmax];
            var total = 0.0;
            for (var x = 0; x < xmax; x++) total += weights[x] = Cubic((x + xmin - center + 0.5) * invScale);
            var fixedPoint = new int[xmax];
            for (var x = 0; x < xmax; x++)
            {
                var w = total != 0 ? weights[x] / total : weights[x];
                fixedPoint[x] = (int)(w < 0 ? -0.5 + w * (1 << PrecisionBits) : 0.5 + w * (1 << PrecisionBits));
            }
            taps[xx] = new Taps(xmin, fixedPoint);
        }
        return taps;
    }

    private static double Cubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }
}
