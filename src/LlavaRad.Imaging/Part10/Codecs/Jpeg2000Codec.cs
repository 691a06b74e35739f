using System.Runtime.InteropServices;
using static LlavaRad.Imaging.Part10.Codecs.OpenJpegNative;

namespace LlavaRad.Imaging.Part10.Codecs;

/// <summary>
/// JPEG 2000 (1.2.840.10008.1.2.4.90/.91) and HTJ2K (.201/.202/.203) frames through OpenJPEG 2.5 (libopenjp2-7).
/// OpenJPEG reads the frame through stream callbacks over the pinned managed buffer, so nothing is copied in;
/// opj_read_header gives the declared size, components and precision, which are checked before opj_decode allocates.
/// OpenJPEG undoes the RCT/ICT itself, so YBR_RCT/YBR_ICT frames come back as RGB.
/// </summary>
internal sealed unsafe class Jpeg2000Codec : IFrameCodec
{
    public static Jpeg2000Codec Instance { get; } = new();

    private const int CodecJp2 = 2;
    private static ReadOnlySpan<byte> Jp2Signature => [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20];

    /// <summary>The callbacks' view of the frame: where it is, how far OpenJPEG has read, and its first error.</summary>
    private sealed class StreamState(byte* data, long length)
    {
        public byte* Data { get; } = data;
        public long Length { get; } = length;
        public long Position;
        public string? Error;
    }

    public StoredPixelFrame Decode(ReadOnlyMemory<byte> frame, PixelFormat format, DicomReadLimits limits)
    {
        NativeCodecLibrary.OpenJpeg.EnsurePresent();
        using var pin = frame.Pin();
        var state = new StreamState((byte*)pin.Pointer, frame.Length);
        var handle = GCHandle.Alloc(state);
        // Some writers wrap the codestream in a JP2 file; OpenJPEG reads both once told which.
        var codec = CreateDecompress(frame.Span.StartsWith(Jp2Signature) ? CodecJp2 : CodecJ2k);
        var parameters = (byte*)NativeMemory.AllocZeroed(DecoderParametersSize);
        var stream = IntPtr.Zero;
        Image* image = null;
        try
        {
            if (codec == IntPtr.Zero) throw CodecHeaderCheck.Corrupt("JPEG 2000", "OpenJPEG could not create a decoder");
            var user = GCHandle.ToIntPtr(handle);
            SetErrorHandler(codec, &OnError, user);
            SetWarningHandler(codec, &Ignore, user);
            SetInfoHandler(codec, &Ignore, user);
            SetDefaultDecoderParameters(parameters);
            if (SetupDecoder(codec, parameters) == 0) throw Failed(state, "decoder setup");
            SetThreads(codec, Environment.ProcessorCount);

            stream = StreamCreate((nuint)Math.Clamp(frame.Length, 1, 1 << 20), 1);
            StreamSetRead(stream, &Read);
            StreamSetSkip(stream, &Skip);
            StreamSetSeek(stream, &Seek);
            StreamSetUserData(stream, user, IntPtr.Zero);
            StreamSetUserDataLength(stream, (ulong)frame.Length);

            if (ReadHeader(stream, codec, out image) == 0 || image == null) throw Failed(state, "header");
            CheckHeader(image, format, limits);
            if (OpenJpegNative.Decode(codec, stream, image) == 0 || EndDecompress(codec, stream) == 0) throw Failed(state, "codestream");
            // The codec still holds its copy of the codestream; only the image is needed from here.
            StreamDestroy(stream);
            stream = IntPtr.Zero;
            DestroyCodec(codec);
            codec = IntPtr.Zero;
            return Assemble(image, format);
        }
        finally
        {
            if (image != null) ImageDestroy(image);
            if (stream != IntPtr.Zero) StreamDestroy(stream);
            if (codec != IntPtr.Zero) DestroyCodec(codec);
            NativeMemory.Free(parameters);
            handle.Free();
        }
    }

    private static void CheckHeader(Image* image, PixelFormat format, DicomReadLimits limits)
    {
        var width = (long)image->X1 - image->X0;
        var height = (long)image->Y1 - image->Y0;
        var count = (int)Math.Min(image->ComponentCount, 16);
        var precision = 0;
        for (var c = 0; c < count; c++)
        {
            var component = image->Components[c];
            if (component.Dx != 1 || component.Dy != 1)
                throw new DicomReadException(DicomReadException.UnsupportedPixelFormat, "the JPEG 2000 stream has subsampled components");
            precision = Math.Max(precision, (int)Math.Min(component.Precision, 64));
        }
        CodecHeaderCheck.Check("JPEG 2000", width, height, (int)image->ComponentCount, precision, format, limits);
    }

    /// <summary>OpenJPEG's own int planes are read in place, straight into the frame's 16-bit words (no managed copy).</summary>
    private static StoredPixelFrame Assemble(Image* image, PixelFormat format)
    {
        if (!format.IsColour) return GrayReleasingPlane(Plane(image, 0), format);
        var rgb = format.IsColour && !format.LumaIsFirstComponent;
        return FrameAssembly.ToStoredFrame(Plane(image, 0), rgb ? Plane(image, 1) : default, rgb ? Plane(image, 2) : default, format);
    }

    /// <summary>
    /// The words are written a slice at a time, and each slice of OpenJPEG's int plane is given back to the kernel once
    /// read (<see cref="PageRelease"/>): the plane is twice the 16-bit frame, so holding both whole would already take
    /// the largest accepted image to 3 × its frame. The plane is not read again before opj_image_destroy frees it.
    /// </summary>
    private static StoredPixelFrame GrayReleasingPlane(ReadOnlySpan<int> plane, PixelFormat format)
    {
        const int Slice = 1 << 20; // samples: 4 MiB of ints
        var words = GC.AllocateUninitializedArray<ushort>(plane.Length);
        for (var start = 0; start < plane.Length; start += Slice)
        {
            var slice = plane.Slice(start, Math.Min(Slice, plane.Length - start));
            FrameAssembly.ToWords(slice, words.AsSpan(start, slice.Length), format);
            PageRelease.Release(slice);
        }
        return new StoredPixelFrame(format.Columns, format.Rows, words, format.BitsStored, format.Signed);
    }

    private static ReadOnlySpan<int> Plane(Image* image, int index)
    {
        var width = image->X1 - image->X0;
        var height = image->Y1 - image->Y0;
        var component = image->Components[index];
        if (component.Data == null || component.Width != width || component.Height != height)
            throw CodecHeaderCheck.Corrupt("JPEG 2000", "a component was not decoded at full size");
        return new ReadOnlySpan<int>(component.Data, (int)(width * height));
    }

    private static DicomReadException Failed(StreamState state, string stage) =>
        CodecHeaderCheck.Corrupt("JPEG 2000", $"{stage}: {state.Error ?? "OpenJPEG gave no reason"}");

    private static StreamState State(IntPtr user) => (StreamState)GCHandle.FromIntPtr(user).Target!;

    // The callbacks run on OpenJPEG's thread inside the native call; they must not throw.
    [UnmanagedCallersOnly]
    private static nuint Read(byte* buffer, nuint count, IntPtr user)
    {
        var state = State(user);
        var left = state.Length - state.Position;
        if (left <= 0) return unchecked((nuint)(-1)); // OpenJPEG's end of stream
        var n = (long)Math.Min((ulong)left, count);
        Buffer.MemoryCopy(state.Data + state.Position, buffer, (long)count, n);
        state.Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly]
    private static long Skip(long count, IntPtr user)
    {
        var state = State(user);
        var target = Math.Clamp(state.Position + count, 0, state.Length);
        var moved = target - state.Position;
        state.Position = target;
        return moved == 0 && count != 0 ? -1 : moved;
    }

    [UnmanagedCallersOnly]
    private static int Seek(long position, IntPtr user)
    {
        var state = State(user);
        if (position < 0 || position > state.Length) return 0;
        state.Position = position;
        return 1;
    }

    [UnmanagedCallersOnly]
    private static void OnError(byte* message, IntPtr user)
    {
        var state = State(user);
        state.Error ??= Marshal.PtrToStringUTF8((IntPtr)message)?.Trim();
    }

    [UnmanagedCallersOnly]
    private static void Ignore(byte* message, IntPtr user) { }
}
