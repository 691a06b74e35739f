using System.Runtime.InteropServices;

namespace LlavaRad.Imaging.Part10.Codecs;

/// <summary>
/// The part of OpenJPEG 2.5's C API (openjpeg.h) the decoder uses. Struct layouts are those of x86-64 Linux
/// (opj_image_t 48 bytes, opj_image_comp_t 64 bytes, opj_dparameters_t 8252 bytes), checked against the header.
/// </summary>
internal static unsafe class OpenJpegNative
{
    public const string Library = "libopenjp2.so.7";
    public const int CodecJ2k = 0;
    public const int DecoderParametersSize = 8252;

    [StructLayout(LayoutKind.Sequential)]
    public struct Image
    {
        public uint X0, Y0, X1, Y1;
        public uint ComponentCount;
        public int ColorSpace;
        public ImageComponent* Components;
        public byte* IccProfile;
        public uint IccProfileLength;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ImageComponent
    {
        public uint Dx, Dy, Width, Height, X0, Y0;
        public uint Precision;
        public uint ObsoleteBpp;
        public uint Signed;
        public uint ResolutionsDecoded;
        public uint Factor;
        public int* Data;
        public ushort Alpha;
    }

    [DllImport(Library, EntryPoint = "opj_create_decompress")] public static extern IntPtr CreateDecompress(int format);
    [DllImport(Library, EntryPoint = "opj_destroy_codec")] public static extern void DestroyCodec(IntPtr codec);
    [DllImport(Library, EntryPoint = "opj_set_default_decoder_parameters")] public static extern void SetDefaultDecoderParameters(byte* parameters);
    [DllImport(Library, EntryPoint = "opj_setup_decoder")] public static extern int SetupDecoder(IntPtr codec, byte* parameters);
    [DllImport(Library, EntryPoint = "opj_codec_set_threads")] public static extern int SetThreads(IntPtr codec, int threads);
    [DllImport(Library, EntryPoint = "opj_set_error_handler")] public static extern int SetErrorHandler(IntPtr codec, delegate* unmanaged<byte*, IntPtr, void> handler, IntPtr userData);
    [DllImport(Library, EntryPoint = "opj_set_warning_handler")] public static extern int SetWarningHandler(IntPtr codec, delegate* unmanaged<byte*, IntPtr, void> handler, IntPtr userData);
    [DllImport(Library, EntryPoint = "opj_set_info_handler")] public static extern int SetInfoHandler(IntPtr codec, delegate* unmanaged<byte*, IntPtr, void> handler, IntPtr userData);

    [DllImport(Library, EntryPoint = "opj_stream_create")] public static extern IntPtr StreamCreate(nuint bufferSize, int isInput);
    [DllImport(Library, EntryPoint = "opj_stream_destroy")] public static extern void StreamDestroy(IntPtr stream);
    [DllImport(Library, EntryPoint = "opj_stream_set_read_function")] public static extern void StreamSetRead(IntPtr stream, delegate* unmanaged<byte*, nuint, IntPtr, nuint> read);
    [DllImport(Library, EntryPoint = "opj_stream_set_skip_function")] public static extern void StreamSetSkip(IntPtr stream, delegate* unmanaged<long, IntPtr, long> skip);
    [DllImport(Library, EntryPoint = "opj_stream_set_seek_function")] public static extern void StreamSetSeek(IntPtr stream, delegate* unmanaged<long, IntPtr, int> seek);
    [DllImport(Library, EntryPoint = "opj_stream_set_user_data")] public static extern void StreamSetUserData(IntPtr stream, IntPtr data, IntPtr free);
    [DllImport(Library, EntryPoint = "opj_stream_set_user_data_length")] public static extern void StreamSetUserDataLength(IntPtr stream, ulong length);

    [DllImport(Library, EntryPoint = "opj_read_header")] public static extern int ReadHeader(IntPtr stream, IntPtr codec, out Image* image);
    [DllImport(Library, EntryPoint = "opj_decode")] public static extern int Decode(IntPtr codec, IntPtr stream, Image* image);
    [DllImport(Library, EntryPoint = "opj_end_decompress")] public static extern int EndDecompress(IntPtr codec, IntPtr stream);
    [DllImport(Library, EntryPoint = "opj_image_destroy")] public static extern void ImageDestroy(Image* image);
}
