using static TorchSharp.torch;

namespace LlavaRad.Model.Preprocessing;

/// <summary>8-bit pixels, row-major, channels interleaved (1 = grayscale, 3 = RGB).</summary>
public sealed record PixelImage(int Width, int Height, int Channels, byte[] Pixels)
{
    public void Validate()
    {
        if (Width <= 0 || Height <= 0) throw new ArgumentException($"image size {Width}x{Height} is empty");
        if (Channels is not (1 or 3)) throw new ArgumentException($"images need 1 (grayscale) or 3 (RGB) channels, not {Channels}");
        if (Pixels.Length != (long)Width * Height * Channels)
            throw new ArgumentException($"{Width}x{Height}x{Channels} image needs {(long)Width * Height * Channels} bytes, got {Pixels.Length}");
    }

    public byte[] Plane(int channel)
    {
        if (Channels == 1) return Pixels;
        var plane = new byte[Width * Height];
        for (var i = 0; i < plane.Length; i++) plane[i] = Pixels[i * Channels + channel];
        return plane;
    }
}

/// <summary>
/// The open_clip evaluation transform LLaVA-Rad uses: PIL convert("RGB") (grayscale replicated), Resize(short side,
/// BICUBIC; long side truncated), CenterCrop with Python round-half-to-even offsets, ToTensor (/255), Normalize.
/// </summary>
public static class ImagePreprocessor
{
    /// <summary>Resize + center crop to size x size, per channel: [channels][size*size] bytes.</summary>
    public static byte[][] ResizeAndCrop(PixelImage image, int size)
    {
        image.Validate();
        var (w, h) = (image.Width, image.Height);
        // torchvision _compute_resized_output_size: short side -> size, long side int(size * long / short)
        var (shortSide, longSide) = w <= h ? (w, h) : (h, w);
        var newLong = (int)((double)size * longSide / shortSide);
        var (newW, newH) = w <= h ? (size, newLong) : (newLong, size);
        var top = (int)Math.Round((newH - size) / 2.0, MidpointRounding.ToEven);
        var left = (int)Math.Round((newW - size) / 2.0, MidpointRounding.ToEven);

        var planes = new byte[image.Channels][];
        for (var c = 0; c < image.Channels; c++)
        {
            var resized = PilBicubicResampler.Resize(image.Plane(c), w, h, newW, newH);
            var crop = new byte[size * size];
            for (var y = 0; y < size; y++) Array.Copy(resized, (top + y) * newW + left, crop, y * size, size);
            planes[c] = crop;
        }
        return planes;
    }

    /// <summary>The model input [1, 3, S, S] float32: /255 then (x - mean) / std per channel.</summary>
    public static Tensor ToModelInput(PixelImage image, ModelConfig config)
    {
        var size = config.VisionConfig.ImageSize;
        var planes = ResizeAndCrop(image, size);
        var rgb = new float[3 * size * size];
        for (var c = 0; c < 3; c++)
        {
            var plane = planes[image.Channels == 1 ? 0 : c];
            for (var i = 0; i < plane.Length; i++) rgb[c * plane.Length + i] = plane[i] / 255f;
        }
        using var scope = NewDisposeScope();
        var x = tensor(rgb, [1, 3, size, size]);
        var mean = tensor(config.ImageMean, [1, 3, 1, 1]);
        var std = tensor(config.ImageStd, [1, 3, 1, 1]);
        return ((x - mean) / std).MoveToOuterDisposeScope();
    }
}
