namespace LlavaRad.Imaging.Part10.Codecs;

/// <summary>
/// The checks every codec makes on its codestream header before any pixel buffer exists: the size the stream
/// declares must be the dataset's Rows × Columns (a mismatch is corrupt data), within the same pixel cap as native
/// pixels, with the dataset's number of samples and at most 16 bits a sample.
/// </summary>
internal static class CodecHeaderCheck
{
    public static void Check(string codec, long width, long height, int components, int precision, PixelFormat format, DicomReadLimits limits)
    {
        if (width * height > limits.MaxPixels)
            throw new DicomReadException(DicomReadException.TooManyPixels,
                $"the {codec} stream declares {width} x {height} pixels, over the cap of {limits.MaxPixels}");
        if (width != format.Columns || height != format.Rows)
            throw new DicomReadException(DicomReadException.CorruptCompressedData,
                $"the {codec} stream is {width} x {height}, the dataset says {format.Columns} x {format.Rows}");
        if (components != format.SamplesPerPixel)
            throw new DicomReadException(DicomReadException.CorruptCompressedData,
                $"the {codec} stream has {components} components, the dataset says {format.SamplesPerPixel} samples per pixel");
        if (precision is < 1 or > 16)
            throw new DicomReadException(DicomReadException.UnsupportedPixelFormat, $"the {codec} stream has {precision}-bit samples; at most 16 are supported");
    }

    public static DicomReadException Corrupt(string codec, string detail) =>
        new(DicomReadException.CorruptCompressedData, $"the {codec} stream did not decode: {detail}");
}
