using LlavaRad.Findings.Urgency;

namespace LlavaRad.Findings.Tests;

public class UrgencyPolicyTests
{
    private readonly FindingsLabeler _labeler = new();
    private readonly UrgencyPolicy _policy = new(UrgencyPolicyOptions.Default());

    private UrgencyDecision Decide(string text, IReadOnlyList<double>? logProbabilities = null) =>
        _policy.Decide(_labeler.Label(text), logProbabilities);

    [Theory]
    [InlineData("Large right tension pneumothorax with mediastinal shift.", UrgencyLevel.Stat, "pneumothorax-tension")]
    [InlineData("Small right apical pneumothorax.", UrgencyLevel.Stat, "pneumothorax")]
    [InlineData("A tiny left apical pneumothorax cannot be excluded.", UrgencyLevel.Urgent, "pneumothorax-possible")]
    [InlineData("New moderate right pleural effusion.", UrgencyLevel.Urgent, "pleural-effusion-large-or-new")]
    [InlineData("Small left pleural effusion, unchanged.", UrgencyLevel.Routine, UrgencyPolicy.DefaultRuleId)]
    [InlineData("Right lower lobe consolidation.", UrgencyLevel.Urgent, "consolidation")]
    [InlineData("Moderate pulmonary edema.", UrgencyLevel.Urgent, "edema")]
    [InlineData("No pneumothorax. No focal consolidation. No pulmonary edema.", UrgencyLevel.Routine, UrgencyPolicy.DefaultRuleId)]
    public void TheDefaultPolicyFollowsTheIssue(string text, UrgencyLevel level, string ruleId)
    {
        var decision = Decide(text);
        Assert.Equal(level, decision.Level);
        Assert.Equal(ruleId, decision.RuleId);
    }

    [Fact]
    public void ANegatedModifierDoesNotCount()
    {
        var decision = Decide("Small left apical pneumothorax without evidence of tension.");
        Assert.Equal(UrgencyLevel.Stat, decision.Level);
        Assert.Equal("pneumothorax", decision.RuleId);
    }

    [Fact]
    public void TriageGivesLabelsAndDecisionInOneCall()
    {
        var result = new FindingsTriage().Assess("Large left pleural effusion. No pneumothorax.", [-0.1, -0.2]);
        Assert.Equal(FindingStatus.Positive, result.Labels.StatusOf(Observation.PleuralEffusion));
        Assert.Equal("pleural-effusion-large-or-new", result.Urgency.RuleId);
        Assert.Contains("\"large\"", result.Urgency.Reason);
        Assert.False(result.Urgency.Confidence.IsLow);
    }

    [Fact]
    public void TheHighestLevelWinsAndEveryFiredRuleIsRecorded()
    {
        var decision = Decide("Right lower lobe consolidation. Small right apical pneumothorax.");
        Assert.Equal(UrgencyLevel.Stat, decision.Level);
        Assert.Equal(["pneumothorax", "consolidation"], decision.FiredRuleIds);
        Assert.Equal("Small right apical pneumothorax.", decision.EvidenceSentence);
        Assert.Contains("rule pneumothorax", decision.Reason);
        Assert.Equal("stat", decision.Level.FhirCode());
    }

    [Fact]
    public void APolicyFromJsonReplacesTheDefaults()
    {
        var options = UrgencyPolicyOptions.FromJson("""
            { "rules": [ { "id": "any-fracture", "observation": "Fracture", "statuses": ["positive", "uncertain"], "level": "urgent" } ] }
            """);
        var policy = new UrgencyPolicy(options);
        Assert.Equal("any-fracture", policy.Decide(_labeler.Label("Possible left rib fracture.")).RuleId);
        Assert.Equal(UrgencyLevel.Routine, policy.Decide(_labeler.Label("Small right apical pneumothorax.")).Level);
    }

    [Theory]
    [InlineData("""{ "rules": [ { "id": "x", "observation": "Hernia", "level": "urgent" } ] }""", "Hernia")]
    [InlineData("""{ "rules": [ { "id": "", "observation": "Edema", "level": "urgent" } ] }""", "rule #1 has no id")]
    [InlineData("""{ "rules": [ { "id": "x", "observation": "Edema", "level": "soon" } ] }""", "invalid")]
    [InlineData("""{ "rules": [ { "id": "x", "observation": "Edema", "statuses": ["blank"], "level": "urgent" } ] }""", "statuses")]
    public void ABadPolicySaysWhatIsWrong(string json, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => UrgencyPolicyOptions.FromJson(json)).Message);

    [Fact]
    public void LowMeanTokenLogProbabilityFlagsLowConfidence()
    {
        var decision = Decide("Right lower lobe consolidation.", [-0.5, -1.5, -2.0]); // mean -1.33 < -1.0
        Assert.True(decision.Confidence.IsLow);
        Assert.Equal(-4.0 / 3, decision.Confidence.MeanLogProbability!.Value, 1e-12);
        Assert.Contains("mean", decision.Confidence.Reason);
        Assert.Equal(UrgencyLevel.Urgent, decision.Level); // the flag informs the reader; it does not change the level
    }

    [Fact]
    public void OneVeryUnlikelyTokenFlagsLowConfidence()
    {
        var confidence = Decide("No pneumothorax.", [-0.01, -0.02, -7.5, -0.01]).Confidence; // mean -1.885
        Assert.True(confidence.IsLow);
        confidence = Decide("No pneumothorax.", [-0.01, -0.02, -5.0, -0.01, -0.01, -0.01]).Confidence; // mean -0.843, min -5
        Assert.False(confidence.IsLow);
        Assert.Equal(-5.0, confidence.MinLogProbability);
    }

    [Fact]
    public void WithoutLogProbabilitiesConfidenceIsUnknownNotLow()
    {
        var confidence = Decide("No pneumothorax.").Confidence;
        Assert.False(confidence.IsLow);
        Assert.Null(confidence.MeanLogProbability);
        Assert.Contains("unknown", confidence.Reason);
    }

    [Fact]
    public void PositiveLogProbabilitiesAreRejected() =>
        Assert.Throws<ArgumentException>(() => Decide("No pneumothorax.", [0.5]));
}
