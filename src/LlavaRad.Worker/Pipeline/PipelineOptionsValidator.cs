using LlavaRad.Worker.Configuration;

namespace LlavaRad.Worker.Pipeline;

/// <summary>How this worker runs jobs, checked at start.</summary>
public sealed class PipelineOptionsValidator : SettingsValidator<PipelineOptions>
{
    protected override void Check(PipelineOptions o, SettingProblems problems)
    {
        problems.When(string.IsNullOrWhiteSpace(o.WorkerId), "Pipeline:WorkerId must not be empty");
        problems.When(o.Concurrency is < 1 or > 256, $"Pipeline:Concurrency must be 1..256 (is {o.Concurrency})");
        problems.When(o.IdlePollInterval <= TimeSpan.Zero, "Pipeline:IdlePollInterval must be positive");
        problems.When(o.HeartbeatInterval < TimeSpan.Zero, "Pipeline:HeartbeatInterval must not be negative");
        problems.When(string.IsNullOrWhiteSpace(o.ModelId) || o.ModelId.Contains('|'), "Pipeline:ModelId must be non-empty without '|'");
        problems.When(string.IsNullOrWhiteSpace(o.PipelineVersion) || o.PipelineVersion.Contains('|'),
            "Pipeline:PipelineVersion must be non-empty without '|'");
        problems.When(string.IsNullOrWhiteSpace(o.DraftFolder), "Pipeline:DraftFolder must not be empty");
        problems.When(o.MaxNewTokens is < 1 or > 4096, $"Pipeline:MaxNewTokens must be 1..4096 (is {o.MaxNewTokens})");
    }
}
