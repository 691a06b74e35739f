namespace LlavaRad.Imaging.Part10;

/// <summary>
/// Implicit VR files carry no VR: this is the little dictionary we need to read them. Binary US/SS attributes that
/// the pixel pipeline reads, and the sequences it walks; everything else is read as text when asked.
/// </summary>
public static class ImplicitVrDictionary
{
    private static readonly HashSet<uint> Sequences =
    [
        DicomTag.ReferencedSopSequence, DicomTag.FailedSopSequence, DicomTag.AnatomicRegionSequence,
        DicomTag.ViewCodeSequence, DicomTag.RequestedProcedureCodeSequence, DicomTag.ModalityLutSequence,
        DicomTag.VoiLutSequence,
        0x00081110, 0x00081111, 0x00081115, 0x00081140, 0x00081250, 0x00082112, 0x00082228, 0x00082229,
        0x00400275, 0x00400260, 0x00540222, 0x00189506, 0x00400555, 0x0040A730, 0x00081032, 0x00082218,
        0x20500010, 0x00283110, 0x00880200,
    ];

    private static readonly HashSet<uint> UnsignedShorts =
    [
        DicomTag.SamplesPerPixel, DicomTag.Rows, DicomTag.Columns, DicomTag.BitsAllocated, DicomTag.BitsStored,
        DicomTag.HighBit, DicomTag.PixelRepresentation, DicomTag.LutDescriptor, 0x00280006, 0x00280120, 0x00280121,
    ];

    public static string Lookup(uint tag)
    {
        if ((tag & 0xFFFF) == 0) return "UL"; // group lengths
        if (tag == DicomTag.PixelData || tag == DicomTag.LutData) return "OW";
        if (Sequences.Contains(tag)) return "SQ";
        if (UnsignedShorts.Contains(tag)) return "US";
        return "UN";
    }
}
