using System.Globalization;
using System.Text.Json;

namespace LlavaRad.Imaging;

/// <summary>One dataset in the DICOM JSON model (application/dicom+json, PS3.18 F.2).</summary>
public sealed class DicomJsonDataset(JsonElement element)
{
    public JsonElement Element { get; } = element;

    public static IReadOnlyList<DicomJsonDataset> ParseArray(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new JsonException("DICOM JSON response is not an array of datasets");
        return document.RootElement.EnumerateArray().Select(e => new DicomJsonDataset(e.Clone())).ToList();
    }

    /// <summary>The first value as text; PN values give their Alphabetic form.</summary>
    public string? GetString(uint tag)
    {
        if (!TryGetFirstValue(tag, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Object when value.TryGetProperty("Alphabetic", out var name) => name.GetString(),
            _ => null,
        };
    }

    public int? GetInt(uint tag) =>
        TryGetFirstValue(tag, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32()
        : int.TryParse(GetString(tag), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    public IReadOnlyList<DicomJsonDataset> GetSequence(uint tag) =>
        Element.TryGetProperty(DicomTag.JsonKey(tag), out var attribute) && attribute.TryGetProperty("Value", out var items)
            ? items.EnumerateArray().Select(i => new DicomJsonDataset(i)).ToList()
            : [];

    private bool TryGetFirstValue(uint tag, out JsonElement value)
    {
        value = default;
        if (!Element.TryGetProperty(DicomTag.JsonKey(tag), out var attribute)) return false;
        if (!attribute.TryGetProperty("Value", out var values) || values.GetArrayLength() == 0) return false;
        value = values[0];
        return true;
    }
}
