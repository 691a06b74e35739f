namespace LlavaRad.Imaging.Part10;

/// <summary>
/// The Image Pixel module attributes that say how to unpack stored values (PS3.3 C.7.6.3), checked. Colour
/// (RGB, YBR_FULL, YBR_FULL_422 and the J2K YBR_ICT/YBR_RCT) is accepted and later reduced to BT.601 luma;
/// palette colour and anything else is refused.
/// </summary>
internal sealed record PixelFormat(int Rows, int Columns, int BitsAllocated, int BitsStored, int HighBit, bool Signed, int Frames,
    string Photometric, int SamplesPerPixel, bool Planar)
{
    public int PixelCount => Rows * Columns;

    /// <summary>Native bytes of one frame; YBR_FULL_422 keeps one Cb and one Cr per two pixels (PS3.3 C.7.6.3.1.2).</summary>
    public int BytesPerFrame => Photometric == "YBR_FULL_422"
        ? PixelCount * 2 * (BitsAllocated / 8)
        : PixelCount * SamplesPerPixel * (BitsAllocated / 8);

    public bool IsColour => SamplesPerPixel == 3;

    /// <summary>Y is already BT.601 luma: for these the first component is the grayscale image, no RGB needed.</summary>
    public bool LumaIsFirstComponent => Photometric is "YBR_FULL" or "YBR_FULL_422";

    private static readonly HashSet<string> ColourPhotometrics = ["RGB", "YBR_FULL", "YBR_FULL_422", "YBR_ICT", "YBR_RCT"];

    public static PixelFormat From(IDicomAttributes attributes, DicomReadLimits limits)
    {
        var photometric = attributes.GetString(DicomTag.PhotometricInterpretation);
        var samples = attributes.GetInt(DicomTag.SamplesPerPixel) ?? 1;
        if (photometric is "MONOCHROME1" or "MONOCHROME2")
        {
            if (samples != 1)
                throw new DicomReadException(DicomReadException.UnsupportedPixelFormat, $"{samples} samples per pixel; {photometric} needs 1");
        }
        else if (photometric is not null && ColourPhotometrics.Contains(photometric))
        {
            if (samples != 3)
                throw new DicomReadException(DicomReadException.UnsupportedPixelFormat, $"{samples} samples per pixel; {photometric} needs 3");
        }
        else
        {
            throw new DicomReadException(DicomReadException.UnsupportedPhotometric,
                $"photometric interpretation {photometric ?? "(missing)"} is neither grayscale (MONOCHROME1/2) nor RGB/YBR colour");
        }
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
        // Colour samples are unsigned whatever PixelRepresentation says (PS3.3 C.7.6.3.1.1 has no signed colour).
        var signed = samples == 1 && attributes.GetInt(DicomTag.PixelRepresentation) == 1;
        var planar = samples == 3 && attributes.GetInt(DicomTag.PlanarConfiguration) == 1;
        return new PixelFormat(rows, columns, bitsAllocated, bitsStored, highBit, signed, frames, photometric, samples, planar);
    }

    /// <summary>Unpacks one allocated word into a stored value: shift down past the low unused bits, mask, sign-extend.</summary>
    public int Unpack(int word) => FromDecoded(word >> (HighBit + 1 - BitsStored));

    /// <summary>
    /// A codec's sample (right-aligned, in the codestream's own precision and sign) read as the dataset says:
    /// BitsStored and PixelRepresentation win over what the codestream header claims.
    /// </summary>
    public int FromDecoded(int sample)
    {
        var value = sample & ((1 << BitsStored) - 1);
        return Signed && (value & (1 << (BitsStored - 1))) != 0 ? value - (1 << BitsStored) : value;
    }

    private static int Require(IDicomAttributes attributes, uint tag, string name) =>
        attributes.GetInt(tag) ?? throw new DicomReadException(DicomReadException.MissingAttribute, $"{name} {DicomTag.Format(tag)} is missing");
}
