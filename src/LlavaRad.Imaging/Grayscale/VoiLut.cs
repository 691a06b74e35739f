using System.Globalization;

namespace LlavaRad.Imaging.Grayscale;

/// <summary>
/// Modality values to display values in [0, 1] (PS3.3 C.11.2). In order of preference: the first window
/// (Window Center/Width with VOI LUT Function LINEAR, LINEAR_EXACT or SIGMOID), the first VOI LUT Sequence item,
/// otherwise the min/max of the image's actual modality values.
/// </summary>
public sealed class VoiLut
{
    private readonly Func<double, double> _map;

    private VoiLut(Func<double, double> map, string description)
    {
        _map = map;
        Description = description;
    }

    public string Description { get; }

    public double Apply(double modalityValue) => _map(modalityValue);

    public static VoiLut Choose(IDicomAttributes attributes, double modalityMin, double modalityMax)
    {
        var centers = attributes.GetDoubles(DicomTag.WindowCenter);
        var widths = attributes.GetDoubles(DicomTag.WindowWidth);
        var function = (attributes.GetString(DicomTag.VoiLutFunction) ?? "LINEAR").ToUpperInvariant();
        if (centers.Count > 0 && widths.Count > 0 && Window(centers[0], widths[0], function) is { } window)
            return window;

        var item = attributes.GetSequence(DicomTag.VoiLutSequence).FirstOrDefault();
        if (item is not null && LookupTable.FromItem(item, signedInput: modalityMin < 0) is { } table)
            return new VoiLut(x => (double)table[x] / table.MaxOutput,
                $"VOI LUT Sequence ({table.Count} entries from {table.FirstMapped}, {table.Bits} bits)");

        var range = modalityMax - modalityMin;
        return new VoiLut(x => range <= 0 ? 0 : (x - modalityMin) / range,
            $"min/max of the image ({F(modalityMin)} .. {F(modalityMax)}); no usable window or VOI LUT");
    }

    /// <summary>Null for an unknown function or a width the function cannot use.</summary>
    private static VoiLut? Window(double c, double w, string function)
    {
        var text = $"window {function} center {F(c)} width {F(w)}";
        switch (function)
        {
            case "LINEAR" when w >= 1:
                // C.11.2.1.2.1: the -0.5 / -1 terms place the window on pixel centres.
                var low = c - 0.5 - (w - 1) / 2;
                var high = c - 0.5 + (w - 1) / 2;
                return new VoiLut(x => x <= low ? 0 : x > high ? 1 : (x - (c - 0.5)) / (w - 1) + 0.5, text);
            case "LINEAR_EXACT" when w > 0:
                return new VoiLut(x => x <= c - w / 2 ? 0 : x > c + w / 2 ? 1 : (x - c) / w + 0.5, text);
            case "SIGMOID" when w > 0:
                return new VoiLut(x => 1 / (1 + Math.Exp(-4 * (x - c) / w)), text);
            default:
                return null;
        }
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
