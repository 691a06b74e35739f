namespace LlavaRad.Imaging.Part10;

/// <summary>The Image Pixel module attributes that say how to unpack stored values (PS3.3 C.7.6.3), checked.</summary>
internal sealed record PixelFormat(int Rows, int Columns, int BitsAllocated, int BitsStored, int HighBit, bool Signed, int Frames)
{
    public int PixelCount => Rows * Columns;
    public int BytesPerFrame => PixelCount * (BitsAllocated / 8);

    public static PixelFormat From(IDicomAttributes attributes, DicomReadLimits limits)
    {
        var photometric = attributes.GetString(DicomTag.PhotometricInterpretation);
        if (photometric is not ("MONOCHROME1" or "MONOCHROME2"))
            throw new DicomReadException(DicomReadException.UnsupportedPhotometric,
                $"photometric interpretation {photometric ?? "(missing)"} is not grayscale (MONOCHROME1/2)");
        var samples = attributes.GetInt(DicomTag.SamplesPerPixel) ?? 1;
        if (samples != 1)
            throw new DicomReadException(DicomReadException.UnsupportedPixelFormat, $"{samples} samples per pixel; grayscale needs 1");
        var rows = Require(attributes, DicomTag.Rows, "Rows");
        var columns = Require(attributes, DicomTag.Columns, "Columns");
        if (rows <= 0 || columns <= 0)
            throw new DicomReadException(DicomReadException.UnsupportedPixelFormat, $"image size {columns} x {rows}");
        if ((long)rows * columns > limits.MaxPixels)
            throw new DicomReadException(DicomReadException.TooManyPixels, $"{columns} x {rows} pixels exceeds the cap of {limits.MaxPixels}");
        var bitsAllocated = Require(attributes, DicomTag.BitsAllocated, "BitsAllocated");
        if (bitsAllocated is not (8 or 16))
            throw new DicomReadException(DicomReadException.UnsupportedPixelFormat, $"BitsAllocated {bitsAllocated}; 8 and 16 are supported");
        var bitsStored = attributes.GetInt(DicomTag.BitsStored) ?? bitsAllocated;
        var highBit = attributes.GetInt(DicomTag.HighBit) ?? bitsStored - 1;
        if (bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1 || highBit >= bitsAllocated)
            throw new DicomReadException(DicomReadException.UnsupportedPixelFormat,
                $"BitsStored {bitsStored} / HighBit {highBit} do not fit BitsAllocated {bitsAllocated}");
        var frames = Math.Max(1, attributes.GetInt(DicomTag.NumberOfFrames) ?? 1);
        return new PixelFormat(rows, columns, bitsAllocated, bitsStored, highBit, attributes.GetInt(DicomTag.PixelRepresentation) == 1, frames);
    }

    /// <summary>Unpacks one allocated word into a stored value: shift down past the low unused bits, mask, sign-extend.</summary>
    public int Unpack(int word)
    {
        var value = (word >> (HighBit + 1 - BitsStored)) & ((1 << BitsStored) - 1);
        return Signed && (value & (1 << (BitsStored - 1))) != 0 ? value - (1 << BitsStored) : value;
    }

    private static int Require(IDicomAttributes attributes, uint tag, string name) =>
        attributes.GetInt(tag) ?? throw new DicomReadException(DicomReadException.MissingAttribute, $"{name} {DicomTag.Format(tag)} is missing");
}
