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
        problems.When(!IsSystem(o.SitePatientIdSystem),
            $"Pipeline:SitePatientIdSystem must be an absolute URI without '|' (is '{o.SitePatientIdSystem}')");
        problems.When(!IsSystem(o.PatientIssuerSystemBase),
            $"Pipeline:PatientIssuerSystemBase must be an absolute URI without '|' (is '{o.PatientIssuerSystemBase}')");
        foreach (var (issuer, system) in o.PatientIssuerSystems)
            problems.When(!IsSystem(system), $"Pipeline:PatientIssuerSystems:{issuer} must be an absolute URI without '|' (is '{system}')");
    }

    /// <summary>A FHIR identifier system: an absolute URI, and no '|', which would split the search token.</summary>
    private static bool IsSystem(string? value) =>
        !string.IsNullOrWhiteSpace(value) && !value.Contains('|') && Uri.TryCreate(value, UriKind.Absolute, out _);
}
