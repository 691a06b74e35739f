using LlavaRad.Findings.Labeling;

namespace LlavaRad.Findings.Urgency;

/// <summary>Labels (+ token log-probabilities) -> routine / urgent / stat, recording which rule fired.</summary>
public sealed class UrgencyPolicy
{
    public const string DefaultRuleId = "default-routine";

    private readonly UrgencyPolicyOptions _options;

    public UrgencyPolicy(UrgencyPolicyOptions options)
    {
        options.Validate();
        _options = options;
    }

    public UrgencyDecision Decide(FindingsLabels labels, IReadOnlyList<double>? tokenLogProbabilities = null)
    {
        var confidence = TokenConfidence.Assess(tokenLogProbabilities, _options);
        var fired = _options.Rules
            .Select(rule => (Rule: rule, Label: labels[ObservationNames.Parse(rule.Observation)]))
            .Where(x => x.Rule.Statuses.Contains(x.Label.Status))
            .Select(x => (x.Rule, x.Label, Modifier: FirstModifier(x.Rule, x.Label.EvidenceSentence)))
            .Where(x => x.Rule.AnyModifier.Count == 0 || x.Modifier is not null)
            .ToList();
        if (fired.Count == 0)
            return new UrgencyDecision(UrgencyLevel.Routine, DefaultRuleId, "no urgency rule matched", null, [], confidence);

        var winner = fired.OrderByDescending(f => f.Rule.Level).First(); // OrderBy is stable: ties keep policy order
        var reason = $"{winner.Label.Observation.DisplayName()} {winner.Label.Status.Word()}"
                     + (winner.Modifier is null ? "" : $" with \"{winner.Modifier}\"")
                     + $" -> {winner.Rule.Level.FhirCode()} (rule {winner.Rule.Id})";
        return new UrgencyDecision(winner.Rule.Level, winner.Rule.Id, reason, winner.Label.EvidenceSentence,
            fired.Select(f => f.Rule.Id).ToList(), confidence);
    }

    private static readonly string[] ModifierNegations = ["no", "not", "without"];

    /// <summary>
    /// The first listed modifier whose words appear in the evidence sentence, unless one of the three words before it
    /// negates it ("small pneumothorax without evidence of tension" has no tension modifier).
    /// </summary>
    private static string? FirstModifier(UrgencyRule rule, string? evidence)
    {
        if (evidence is null) return null;
        var tokens = ReportText.Tokenize(evidence);
        return rule.AnyModifier.FirstOrDefault(m => new Phrase(m) is var phrase
            && Enumerable.Range(0, tokens.Length).Any(i => phrase.MatchAt(tokens, i, _ => false) > 0
                                                          && !tokens[Math.Max(0, i - 3)..i].Intersect(ModifierNegations).Any()));
    }
}
