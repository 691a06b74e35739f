using System.Text.RegularExpressions;

namespace LlavaRad.Fhir.Intake;

/// <summary>Reads a projection from free text such as "CHEST PA" or "XR Chest lateral": a hint, not a fact.</summary>
internal static partial class ViewHints
{
    public static string? From(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var match = ViewPattern().Match(text);
        if (!match.Success) return null;
        return match.Value.ToUpperInvariant() switch
        {
            "LAT" or "LATERAL" or "LL" or "RL" => "LATERAL",
            var view => view,
        };
    }

    [GeneratedRegex(@"\b(PA|AP|LAT|LATERAL|LL|RL)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ViewPattern();
}
