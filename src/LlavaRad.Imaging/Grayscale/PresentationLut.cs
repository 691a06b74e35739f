namespace LlavaRad.Imaging.Grayscale;

/// <summary>
/// Whether black and white swap after the VOI LUT (PS3.3 C.11.6, C.7.6.3.1.2). MONOCHROME1 means the minimum is white,
/// so it is always inverted; PresentationLUTShape INVERSE on MONOCHROME2 inverts too. An INVERSE on MONOCHROME1
/// restates the same inversion (the DX IOD requires it) and is not applied twice; an IDENTITY on MONOCHROME1 is a
/// common writer error and is overruled by the photometric interpretation, which every viewer honours.
/// </summary>
public static class PresentationLut
{
    public static (bool Invert, string Description) Decide(IDicomAttributes attributes)
    {
        var photometric = attributes.GetString(DicomTag.PhotometricInterpretation);
        var shape = attributes.GetString(DicomTag.PresentationLutShape)?.ToUpperInvariant();
        if (photometric == "MONOCHROME1")
            return (true, shape == "IDENTITY"
                ? "invert (MONOCHROME1; PresentationLUTShape IDENTITY overruled)"
                : "invert (MONOCHROME1)");
        return shape == "INVERSE"
            ? (true, "invert (PresentationLUTShape INVERSE)")
            : (false, "none (MONOCHROME2)");
    }
}
