using System.Globalization;

namespace LlavaRad.Imaging.Grayscale;

/// <summary>
/// Stored values to modality values (PS3.3 C.11.1): the Modality LUT Sequence when present, otherwise
/// RescaleSlope × stored + RescaleIntercept (identity when both are absent).
/// </summary>
public sealed class ModalityLut
{
    private readonly LookupTable? _table;
    private readonly double _slope;
    private readonly double _intercept;

    private ModalityLut(LookupTable? table, double slope, double intercept, string description)
    {
        _table = table;
        _slope = slope;
        _intercept = intercept;
        Description = description;
    }

    public string Description { get; }

    /// <summary>A LUT need not be monotonic, unlike a rescale.</summary>
    public bool IsLookupTable => _table is not null;

    public double Apply(int stored) => _table is not null ? _table[stored] : stored * _slope + _intercept;

    public static ModalityLut From(IDicomAttributes attributes, bool signedStored)
    {
        var item = attributes.GetSequence(DicomTag.ModalityLutSequence).FirstOrDefault();
        if (item is not null && LookupTable.FromItem(item, signedStored) is { } table)
            return new ModalityLut(table, 1, 0, $"Modality LUT Sequence ({table.Count} entries from {table.FirstMapped}, {table.Bits} bits)");
        var slope = attributes.GetDouble(DicomTag.RescaleSlope) ?? 1;
        var intercept = attributes.GetDouble(DicomTag.RescaleIntercept) ?? 0;
        if (slope == 0) slope = 1; // a zero slope would erase the image; treat as absent
        return slope == 1 && intercept == 0
            ? new ModalityLut(null, 1, 0, "identity (no rescale)")
            : new ModalityLut(null, slope, intercept,
                $"rescale slope {slope.ToString(CultureInfo.InvariantCulture)} intercept {intercept.ToString(CultureInfo.InvariantCulture)}");
    }
}
