using System.Globalization;

namespace LlavaRad.Imaging;

/// <summary>
/// Read access to one dataset's attributes, whether it came from a Part 10 file or from DICOM JSON (WADO-RS metadata,
/// QIDO-RS). Image selection and the grayscale pipeline read through this, so either source (or fo-dicom) can feed them.
/// </summary>
public interface IDicomAttributes
{
    bool Contains(uint tag);

    /// <summary>Every value of a text or number attribute as text (trimmed); empty when absent.</summary>
    IReadOnlyList<string> GetStrings(uint tag);

    /// <summary>The items of a sequence; empty when absent.</summary>
    IReadOnlyList<IDicomAttributes> GetSequence(uint tag);

    /// <summary>A US/SS/OW value as 16-bit words (LUT descriptors and LUT data); null when absent.</summary>
    ushort[]? GetWords(uint tag);
}

/// <summary>Typed reads on top of <see cref="IDicomAttributes"/>, lenient the way real archives need.</summary>
public static class DicomAttributesExtensions
{
    public static string? GetString(this IDicomAttributes attributes, uint tag)
    {
        var values = attributes.GetStrings(tag);
        return values.Count > 0 && values[0].Length > 0 ? values[0] : null;
    }

    /// <summary>All values joined with a backslash, as a multi-valued string is written (ImageType).</summary>
    public static string GetJoined(this IDicomAttributes attributes, uint tag) => string.Join('\\', attributes.GetStrings(tag));

    public static int? GetInt(this IDicomAttributes attributes, uint tag) =>
        int.TryParse(attributes.GetString(tag), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static double? GetDouble(this IDicomAttributes attributes, uint tag) =>
        ParseDouble(attributes.GetString(tag));

    public static IReadOnlyList<double> GetDoubles(this IDicomAttributes attributes, uint tag) =>
        attributes.GetStrings(tag).Select(ParseDouble).Where(v => v.HasValue).Select(v => v!.Value).ToList();

    private static double? ParseDouble(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
}
