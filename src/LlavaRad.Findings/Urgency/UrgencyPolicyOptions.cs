using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlavaRad.Findings.Urgency;

/// <summary>
/// The site's urgency policy: bind it from configuration (section "Urgency") or read it from JSON. The shipped
/// default is Urgency/urgency-policy.default.json. The log-probability thresholds are starting points, not
/// calibrated values: measure them on the site's own studies.
/// </summary>
public sealed class UrgencyPolicyOptions
{
    /// <summary>All rules are checked; the highest level wins, and of equal levels the first listed.</summary>
    public List<UrgencyRule> Rules { get; set; } = [];

    /// <summary>Mean log-probability per generated token below this: low confidence (-1.0 is a geometric-mean p of 0.37).</summary>
    public double LowConfidenceMeanTokenLogProbability { get; set; } = -1.0;

    /// <summary>Any single token below this: low confidence (-6.9 is p = 0.001). Null switches the check off.</summary>
    public double? LowConfidenceMinTokenLogProbability { get; set; } = -6.9;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static UrgencyPolicyOptions FromJson(string json)
    {
        UrgencyPolicyOptions? options;
        try { options = JsonSerializer.Deserialize<UrgencyPolicyOptions>(json, Json); }
        catch (JsonException e) { throw new FormatException($"urgency policy JSON is invalid: {e.Message}", e); }
        options = options ?? throw new FormatException("urgency policy JSON is null");
        options.Validate();
        return options;
    }

    public static UrgencyPolicyOptions Default()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Urgency/urgency-policy.default.json")
            ?? throw new FileNotFoundException("embedded Urgency/urgency-policy.default.json is missing");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }

    /// <summary>Throws <see cref="FormatException"/> naming the first bad rule.</summary>
    public void Validate()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (rule, index) in Rules.Select((r, i) => (r, i)))
        {
            if (string.IsNullOrWhiteSpace(rule.Id)) throw new FormatException($"urgency rule #{index + 1} has no id");
            if (!ids.Add(rule.Id)) throw new FormatException($"urgency rule id \"{rule.Id}\" is used twice");
            if (!ObservationNames.TryParse(rule.Observation, out _))
                throw new FormatException($"urgency rule \"{rule.Id}\": \"{rule.Observation}\" is not one of the 14 CheXpert observations");
            if (rule.Statuses.Count == 0 || rule.Statuses.Contains(FindingStatus.Blank))
                throw new FormatException($"urgency rule \"{rule.Id}\": statuses must be some of positive, negative, uncertain");
        }
        if (LowConfidenceMeanTokenLogProbability > 0 || LowConfidenceMinTokenLogProbability > 0)
            throw new FormatException("log-probability thresholds must be <= 0");
    }
}
