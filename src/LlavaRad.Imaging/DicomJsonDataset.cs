using System.Globalization;
using System.Text.Json;

namespace LlavaRad.Imaging;

/// <summary>One dataset in the DICOM JSON model (application/dicom+json, PS3.18 F.2).</summary>
public sealed class DicomJsonDataset(JsonElement element) : IDicomAttributes
{
    public JsonElement Element { get; } = element;

    public static IReadOnlyList<DicomJsonDataset> ParseArray(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new JsonException("DICOM JSON response is not an array of datasets");
        return document.RootElement.EnumerateArray()
            .Where(e => e.ValueKind == JsonValueKind.Object)
            .Select(e => new DicomJsonDataset(e.Clone())).ToList();
    }

    public bool Contains(uint tag) => Element.TryGetProperty(DicomTag.JsonKey(tag), out _);

    /// <summary>The first value as text; PN values give their Alphabetic form.</summary>
    public string? GetString(uint tag)
    {
        var values = GetStrings(tag);
        return values.Count > 0 && values[0].Length > 0 ? values[0] : null;
    }

    public int? GetInt(uint tag) =>
        int.TryParse(GetString(tag), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    public IReadOnlyList<string> GetStrings(uint tag)
    {
        if (!TryGetValues(tag, out var values)) return [];
        var result = new List<string>();
        foreach (var value in values.EnumerateArray())
            result.Add(value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!.Trim(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.Object when value.TryGetProperty("Alphabetic", out var name) && name.ValueKind == JsonValueKind.String => name.GetString()!,
                _ => "",
            });
        return result;
    }

    public IReadOnlyList<DicomJsonDataset> GetSequence(uint tag) =>
        TryGetValues(tag, out var items)
            ? items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).Select(i => new DicomJsonDataset(i)).ToList()
            : [];

    IReadOnlyList<IDicomAttributes> IDicomAttributes.GetSequence(uint tag) => GetSequence(tag);

    /// <summary>US/SS values as numbers, or OW as InlineBinary (little endian, PS3.18 F.2.7).</summary>
    public ushort[]? GetWords(uint tag)
    {
        if (!Element.TryGetProperty(DicomTag.JsonKey(tag), out var attribute) || attribute.ValueKind != JsonValueKind.Object) return null;
        if (attribute.TryGetProperty("InlineBinary", out var inline) && inline.ValueKind == JsonValueKind.String)
        {
            var bytes = Convert.FromBase64String(inline.GetString()!);
            var words = new ushort[bytes.Length / 2];
            for (var i = 0; i < words.Length; i++) words[i] = (ushort)(bytes[2 * i] | bytes[2 * i + 1] << 8);
            return words;
        }
        if (!TryGetValues(tag, out var values)) return null;
        return values.EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? unchecked((ushort)n) : (ushort)0).ToArray();
    }

    /// <summary>Where the server keeps a large value (PixelData), if it sent a reference instead of the bytes.</summary>
    public string? GetBulkDataUri(uint tag) =>
        Element.TryGetProperty(DicomTag.JsonKey(tag), out var attribute) && attribute.ValueKind == JsonValueKind.Object
        && attribute.TryGetProperty("BulkDataURI", out var uri) && uri.ValueKind == JsonValueKind.String ? uri.GetString() : null;

    private bool TryGetValues(uint tag, out JsonElement values)
    {
        values = default;
        return Element.ValueKind == JsonValueKind.Object
            && Element.TryGetProperty(DicomTag.JsonKey(tag), out var attribute) && attribute.ValueKind == JsonValueKind.Object
            && attribute.TryGetProperty("Value", out values) && values.ValueKind == JsonValueKind.Array;
    }
}
