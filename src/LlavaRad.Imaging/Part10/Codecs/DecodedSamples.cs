namespace LlavaRad.Imaging.Part10.Codecs;

/// <summary>
/// One frame as a managed codec (JpegLibrary, CharLS for colour) or a colour native/RLE frame hands it to
/// <see cref="FrameAssembly"/>: every component at full resolution, right-aligned in an int per sample
/// (component-major: all of component 0, then component 1, ...). <see cref="Precision"/> is the codestream's own
/// bit depth; the DICOM attributes decide how the bits are read (<see cref="FrameAssembly"/>).
/// </summary>
internal sealed record DecodedSamples(int Width, int Height, int Components, int Precision, int[] Samples)
{
    public int PixelCount => Width * Height;

    public ReadOnlySpan<int> Component(int index) => Samples.AsSpan(index * PixelCount, PixelCount);
}

/// <summary>One compressed frame in, the stored frame out (through <see cref="FrameAssembly"/>). Implementations check
/// the codestream's header against the dataset and the limits before they allocate the output.</summary>
internal interface IFrameCodec
{
    StoredPixelFrame Decode(ReadOnlyMemory<byte> frame, PixelFormat format, DicomReadLimits limits);
}
