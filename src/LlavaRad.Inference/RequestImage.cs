using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Imaging;
using LlavaRad.Imaging.Png;
using LlavaRad.Inference.Errors;
using LlavaRad.Model;
using LlavaRad.Model.Preprocessing;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace LlavaRad.Inference;

/// <summary>
/// The one image of a request, checked and turned into the model's input before any GPU time is spent on it. At most
/// <see cref="ImageLimitsOptions.MaxConcurrentDecodes"/> run at once, so a burst of large images holds a bounded
/// number of full-size gray buffers; once resized, only the small model input is kept.
/// </summary>
public sealed class RequestImage(IOptions<InferenceNodeOptions> options) : IDisposable
{
    private readonly ImageLimitsOptions _limits = options.Value.Images;
    private readonly SemaphoreSlim _decodes = new(options.Value.Images.MaxConcurrentDecodes);
    /// <summary>From 16 MiB of gray on, returning an image's pages to the system is worth a full collection.</summary>
    private const long LargeImagePixels = 16L << 20;
    private int _inFlight, _largeSinceCollect;

    public async Task<torch.Tensor> ToModelInputAsync(GenerateRequest request, ModelConfig config, CancellationToken cancellationToken)
    {
        if (request.Images.Count != 1)
            throw Invalid($"LLaVA-Rad takes exactly one frontal image, the request has {request.Images.Count}", ("images", request.Images.Count));
        await _decodes.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _inFlight);
        try
        {
            var input = DecodeAndResize(request.Images[0], config, out var pixels);
            if (pixels > LargeImagePixels) Volatile.Write(ref _largeSinceCollect, 1);
            return input;
        }
        finally
        {
            _decodes.Release();
            // The full-size buffers of a burst of large images are garbage now, but without allocation pressure no
            // GC would run to hand their pages back: the decode that ends such a burst asks for that once.
            if (Interlocked.Decrement(ref _inFlight) == 0 && Interlocked.Exchange(ref _largeSinceCollect, 0) == 1)
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    // Its own frame, so the full-size gray image is unreachable once it returns (also in Debug builds).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private torch.Tensor DecodeAndResize(Image encoded, ModelConfig config, out long pixels)
    {
        var image = Decode(encoded);
        pixels = (long)image.Width * image.Height;
        return ImagePreprocessor.ToModelInput(image, config);
    }

    private PixelImage Decode(Image image) => image.ContentCase switch
    {
        Image.ContentOneofCase.Raw => FromRaw(image.Raw),
        Image.ContentOneofCase.Png => FromPng(image.Png.Memory),
        _ => throw Invalid("the image has neither raw pixels nor PNG bytes"),
    };

    private PixelImage FromRaw(RawGrayImage raw)
    {
        // uint x uint always fits in ulong: no overflow can slip a huge size past the budget.
        var pixels = (ulong)raw.Width * raw.Height;
        if (pixels == 0 || pixels > (ulong)_limits.MaxPixels)
            throw TooLarge($"raw image size {raw.Width}x{raw.Height} is empty or above the budget of {_limits.MaxPixels} pixels");
        if ((ulong)raw.Pixels.Length != pixels)
            throw Invalid($"raw image {raw.Width}x{raw.Height} needs {pixels} bytes, got {raw.Pixels.Length}",
                ("width", raw.Width), ("height", raw.Height), ("bytes", raw.Pixels.Length));
        // The parsed message owns an exact-length array; read it in place rather than copy up to 32 MiB again.
        var bytes = MemoryMarshal.TryGetArray(raw.Pixels.Memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array : raw.Pixels.ToByteArray();
        return new PixelImage((int)raw.Width, (int)raw.Height, 1, bytes);
    }

    private PixelImage FromPng(ReadOnlyMemory<byte> png)
    {
        try
        {
            var gray = PngGrayDecoder.Decode(png, _limits.MaxPixels);
            return new PixelImage(gray.Width, gray.Height, 1, gray.Pixels);
        }
        catch (DicomReadException e) when (e.Code == DicomReadException.TooManyPixels)
        {
            throw TooLarge(e.Message);
        }
        catch (DicomReadException e)
        {
            throw Invalid($"the PNG is not one this node reads: {e.Message}", ("cause", e.Code));
        }
    }

    private Grpc.Core.RpcException TooLarge(string detail) =>
        NodeFault.InvalidArgument(NodeErrorReasons.ImageTooLarge, detail, ("max_pixels", _limits.MaxPixels));

    private static Grpc.Core.RpcException Invalid(string detail, params (string, object)[] metadata) =>
        NodeFault.InvalidArgument(NodeErrorReasons.ImageInvalid, detail, metadata);

    public void Dispose() => _decodes.Dispose();
}
