using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlavaRad.Model;

/// <summary>
/// The terms a model directory's weights come with (licence.json, written by import-weights). A directory without
/// the file carries no recorded restriction: our own tiny demo model, which we trained and own.
/// </summary>
public sealed record ModelLicence(
    [property: JsonPropertyName("licence")] string Licence,
    [property: JsonPropertyName("research_use_only")] bool ResearchUseOnly,
    [property: JsonPropertyName("source")] string Source)
{
    public const string FileName = "licence.json";

    /// <summary>The official LLaVA-Rad release (its LICENSE, the MSR licence): research use only, not for clinical decisions.</summary>
    public static readonly ModelLicence OfficialLlavaRad = new(
        "LLaVA-Rad (Microsoft Research licence): research use only, not for clinical decision making",
        ResearchUseOnly: true,
        Source: "LICENSE of the official LLaVA-Rad release");

    public static ModelLicence? Read(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<ModelLicence>(File.ReadAllText(path))
                ?? throw new InvalidModelException(InvalidModelException.BadConfig, $"{FileName} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidModelException(InvalidModelException.BadConfig, $"{FileName} is not valid: {e.Message}");
        }
    }

    public void Write(string modelDirectory) =>
        File.WriteAllText(Path.Combine(modelDirectory, FileName), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));
}
