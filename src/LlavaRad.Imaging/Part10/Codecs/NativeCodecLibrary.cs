using System.Runtime.InteropServices;

namespace LlavaRad.Imaging.Part10.Codecs;

/// <summary>
/// A codec shared library from the operating system (Debian's package), found at run time by its soname. When it is
/// not installed the decode ends in codec-unavailable naming the package, not in a DllNotFoundException.
/// </summary>
internal sealed class NativeCodecLibrary(string soname, string purpose, string debianPackage)
{
    private readonly Lazy<bool> _present = new(() => NativeLibrary.TryLoad(soname, out _));

    public static NativeCodecLibrary OpenJpeg { get; } = new(OpenJpegNative.Library, "JPEG 2000", "libopenjp2-7");
    public static NativeCodecLibrary CharLs { get; } = new(CharLsNative.Library, "JPEG-LS", "libcharls2");

    public void EnsurePresent()
    {
        if (!_present.Value)
            throw new DicomReadException(DicomReadException.CodecUnavailable, $"{purpose} needs {debianPackage} ({soname} was not found)");
    }
}
