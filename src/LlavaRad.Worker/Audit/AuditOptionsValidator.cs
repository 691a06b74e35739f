using LlavaRad.Worker.Configuration;

namespace LlavaRad.Worker.Audit;

/// <summary>Where AuditEvents go, checked at start; the fhir sink needs the FHIR server the host is configured with.</summary>
public sealed class AuditOptionsValidator(bool fhirConfigured) : SettingsValidator<AuditOptions>
{
    protected override void Check(AuditOptions o, SettingProblems problems)
    {
        problems.When(o.Sink is not ("file" or "fhir" or "none"), $"Audit:Sink \"{o.Sink}\" is none of file, fhir, none");
        problems.When(o.Sink == "file" && string.IsNullOrWhiteSpace(o.FilePath), "Audit:FilePath is empty for the file sink");
        problems.When(o.Sink == "fhir" && !fhirConfigured, "Audit:Sink is fhir but Fhir:BaseUrl is empty");
    }
}
