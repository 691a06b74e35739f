namespace LlavaRad.Worker.Audit;

/// <summary>Bound from "Audit": where AuditEvents go and who this service is in them.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>"file" (append-only JSON lines, the default), "fhir" (POST to the FHIR server) or "none".</summary>
    public string Sink { get; set; } = "file";

    /// <summary>The JSON-lines file for the "file" sink; one AuditEvent per line, only ever appended.</summary>
    public string FilePath { get; set; } = "audit/audit-events.jsonl";

    /// <summary>This service as an audit agent (a Device identifier).</summary>
    public string AgentSystem { get; set; } = "urn:llavarad:device";
    public string AgentValue { get; set; } = "llavarad-worker";
    public string AgentName { get; set; } = "LlavaRad worker";
}
