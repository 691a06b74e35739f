using System.Runtime.InteropServices;
using static LlavaRad.Imaging.Part10.Codecs.CharLsNative;

namespace LlavaRad.Imaging.Part10.Codecs;

/// <summary>
/// JPEG-LS lossless and near-lossless (1.2.840.10008.1.2.4.80/.81) frames through CharLS 2 (libcharls2). The header
/// is read first and its size, components and bit depth checked before the output buffer is allocated. CharLS
/// writes samples of more than 8 bits as 16-bit little endian words, planes one after another when the stream is not
/// interleaved, pixel by pixel otherwise.
/// </summary>
internal sealed unsafe class JpegLsCodec : IFrameCodec
{
    public static JpegLsCodec Instance { get; } = new();

    public StoredPixelFrame Decode(ReadOnlyMemory<byte> frame, PixelFormat format, DicomReadLimits limits)
    {
        NativeCodecLibrary.CharLs.EnsurePresent();
        var decoder = Create();
        if (decoder == IntPtr.Zero) throw CodecHeaderCheck.Corrupt("JPEG-LS", "CharLS could not create a decoder");
        try
        {
            using var pin = frame.Pin();
            Check(SetSourceBuffer(decoder, (byte*)pin.Pointer, (nuint)frame.Length), "source");
            Check(ReadHeader(decoder), "header");
            Check(GetFrameInfo(decoder, out var info), "frame info");
            CodecHeaderCheck.Check("JPEG-LS", info.Width, info.Height, info.ComponentCount, info.BitsPerSample, format, limits);
            Check(GetInterleaveMode(decoder, out var interleave), "interleave mode");
            Check(GetDestinationSize(decoder, 0, out var size), "destination size");

            var bytesPerSample = info.BitsPerSample > 8 ? 2 : 1;
            var pixels = (int)info.Width * (int)info.Height;
            var expected = (long)pixels * info.ComponentCount * bytesPerSample;
            if ((long)size != expected) throw CodecHeaderCheck.Corrupt("JPEG-LS", $"CharLS wants {size} bytes for a {expected}-byte frame");
            if (info.ComponentCount == 1 && bytesPerSample == 2) return DecodeInPlace(decoder, size, pixels, format);
            var raw = new byte[expected];
            fixed (byte* destination = raw) Check(DecodeToBuffer(decoder, destination, size, 0), "scan");
            return FrameAssembly.ToStoredFrame(Unpack(raw, info, pixels, bytesPerSample, interleave == InterleaveNone), format);
        }
        finally
        {
            Destroy(decoder);
        }
    }

    /// <summary>
    /// Grayscale over 8 bits: CharLS writes its little-endian words straight into the frame's words, which are then
    /// read as the dataset says in place, so the frame is the only buffer (x86-64 and arm64 are little endian).
    /// </summary>
    private static StoredPixelFrame DecodeInPlace(IntPtr decoder, nuint size, int pixels, PixelFormat format)
    {
        var words = GC.AllocateUninitializedArray<ushort>(pixels);
        fixed (ushort* destination = words) Check(DecodeToBuffer(decoder, (byte*)destination, size, 0), "scan");
        for (var i = 0; i < words.Length; i++) words[i] = (ushort)format.FromDecoded(words[i]);
        return new StoredPixelFrame(format.Columns, format.Rows, words, format.BitsStored, format.Signed);
    }

    private static DecodedSamples Unpack(byte[] raw, FrameInfo info, int pixels, int bytesPerSample, bool planar)
    {
        var components = info.ComponentCount;
        var samples = new int[pixels * components];
        for (var c = 0; c < components; c++)
        for (var i = 0; i < pixels; i++)
        {
            var index = planar ? c * pixels + i : i * components + c;
            samples[c * pixels + i] = bytesPerSample == 1 ? raw[index] : raw[2 * index] | raw[2 * index + 1] << 8;
        }
        return new DecodedSamples((int)info.Width, (int)info.Height, components, info.BitsPerSample, samples);
    }

    private static void Check(int error, string stage)
    {
        if (error != 0)
            throw CodecHeaderCheck.Corrupt("JPEG-LS", $"{stage}: {Marshal.PtrToStringUTF8(GetErrorMessage(error)) ?? $"CharLS error {error}"}");
    }
}
