using LlavaRad.Imaging;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Model.Preprocessing;
using SkiaSharp;

namespace LlavaRad.Cli;

/// <summary>
/// Reads a DICOM file through the grayscale pipeline (mimic-cxr-jpg profile, as the worker does), or a PNG or JPEG
/// into 8-bit pixels: grayscale files stay one channel (the model replicates it, as PIL's
/// convert("RGB") does), colour files become RGB with alpha dropped. JPEG decoders may differ from libjpeg by ±1.
/// </summary>
public static class ImageFileReader
{
    public static PixelImage Read(string path)
    {
        if (!File.Exists(path)) throw new CommandFailedException($"image {path} does not exist");
        if (Path.GetExtension(path).Equals(".dcm", StringComparison.OrdinalIgnoreCase) || IsDicom(path)) return FromDicom(path);
        using var codec = SKCodec.Create(path) ?? throw new CommandFailedException($"{path} is not a PNG or JPEG image this build can decode");
        var gray = codec.Info.ColorType == SKColorType.Gray8;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new CommandFailedException($"{path} could not be decoded: {result}");
        var bytes = bitmap.GetPixelSpan().ToArray();
        if (gray) return new PixelImage(info.Width, info.Height, 1, bytes);
        var rgb = new byte[info.Width * info.Height * 3];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgb[i] = bytes[j];
            rgb[i + 1] = bytes[j + 1];
            rgb[i + 2] = bytes[j + 2];
        }
        return new PixelImage(info.Width, info.Height, 3, rgb);
    }

    private static PixelImage FromDicom(string path)
    {
        var source = DicomInput.Read(path);
        try
        {
            var gray = GrayscalePipeline.Convert(source.DecodeFirstFrame(), source.Attributes, GrayscaleProfile.MimicCxrJpg).Image;
            return new PixelImage(gray.Width, gray.Height, 1, gray.Pixels);
        }
        catch (DicomReadException e)
        {
            throw new CommandFailedException($"{path}: {e.Code}: {e.Message}");
        }
    }

    private static bool IsDicom(string path)
    {
        using var file = File.OpenRead(path);
        if (file.Length < 132) return false;
        var header = new byte[132];
        file.ReadExactly(header);
        return header[128] == 'D' && header[129] == 'I' && header[130] == 'C' && header[131] == 'M';
    }
}
