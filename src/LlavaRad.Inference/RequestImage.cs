using Grpc.Core;
using LlavaRad.Contracts.V1;
using LlavaRad.Imaging;
using LlavaRad.Imaging.Png;
using LlavaRad.Model.Preprocessing;

namespace LlavaRad.Inference;

/// <summary>The one 8-bit grayscale image of a request, checked before any GPU time is spent on it.</summary>
public static class RequestImage
{
    public const string InvalidImage = "image-invalid";
    private const long MaxPixels = 8192L * 8192;

    public static PixelImage From(GenerateRequest request)
    {
        if (request.Images.Count != 1)
            throw Invalid($"LLaVA-Rad takes exactly one frontal image, the request has {request.Images.Count}");
        var image = request.Images[0];
        return image.ContentCase switch
        {
            Image.ContentOneofCase.Raw => FromRaw(image.Raw),
            Image.ContentOneofCase.Png => FromPng(image.Png.Span),
            _ => throw Invalid("the image has neither raw pixels nor PNG bytes"),
        };
    }

    private static PixelImage FromRaw(RawGrayImage raw)
    {
        if (raw.Width == 0 || raw.Height == 0 || (long)raw.Width * raw.Height > MaxPixels)
            throw Invalid($"raw image size {raw.Width}x{raw.Height} is empty or above {MaxPixels} pixels");
        if (raw.Pixels.Length != (long)raw.Width * raw.Height)
            throw Invalid($"raw image {raw.Width}x{raw.Height} needs {(long)raw.Width * raw.Height} bytes, got {raw.Pixels.Length}");
        return new PixelImage((int)raw.Width, (int)raw.Height, 1, raw.Pixels.ToByteArray());
    }

    private static PixelImage FromPng(ReadOnlySpan<byte> png)
    {
        try
        {
            var gray = PngGrayDecoder.Decode(png, MaxPixels);
            return new PixelImage(gray.Width, gray.Height, 1, gray.Pixels);
        }
        catch (Exception e) when (e is DicomReadException or InvalidDataException or ArgumentException)
        {
            throw Invalid($"the PNG is not an 8-bit grayscale image this node can read: {e.Message}");
        }
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, $"{InvalidImage}: {detail}"));
}
