using System.Runtime.InteropServices;

namespace LlavaRad.Imaging.Part10.Codecs;

/// <summary>The part of CharLS 2's C API (charls_jpegls_decoder.h) the JPEG-LS decoder uses; errors are ints, 0 is success.</summary>
internal static unsafe class CharLsNative
{
    public const string Library = "libcharls.so.2";
    public const int InterleaveNone = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }

    [DllImport(Library, EntryPoint = "charls_jpegls_decoder_create")] public static extern IntPtr Create();
    [DllImport(Library, EntryPoint = "charls_jpegls_decoder_destroy")] public static extern void Destroy(IntPtr decoder);
    [DllImport(Library, EntryPoint = "charls_jpegls_decoder_set_source_buffer")] public static extern int SetSourceBuffer(IntPtr decoder, byte* source, nuint size);
    [DllImport(Library, EntryPoint = "charls_jpegls_decoder_read_header")] public static extern int ReadHeader(IntPtr decoder);
    [DllImport(Library, EntryPoint = "charls_jpegls_decoder_get_frame_info")] public static extern int GetFrameInfo(IntPtr decoder, out FrameInfo info);
    [DllImport(Library, EntryPoint = "charls_jpegls_decoder_get_interleave_mode")] public static extern int GetInterleaveMode(IntPtr decoder, out int mode);
    [DllImport(Library, EntryPoint = "charls_jpegls_decoder_get_destination_size")] public static extern int GetDestinationSize(IntPtr decoder, uint stride, out nuint size);
    [DllImport(Library, EntryPoint = "charls_jpegls_decoder_decode_to_buffer")] public static extern int DecodeToBuffer(IntPtr decoder, byte* destination, nuint size, uint stride);
    [DllImport(Library, EntryPoint = "charls_get_error_message")] public static extern IntPtr GetErrorMessage(int error);
}
