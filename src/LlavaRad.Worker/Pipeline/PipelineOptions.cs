namespace LlavaRad.Worker.Pipeline;

/// <summary>Bound from "Pipeline": how this worker runs jobs. Validated at start.</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Names this worker's leases; defaults to host name + process id, so restarts are new owners.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Jobs run at once by this worker.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>How long to wait before looking again when no job is due.</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a running job renews its lease; zero means a third of the lease.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The one identity of a draft: with the StudyInstanceUID, the job key; the FHIR key adds the version the node
    /// reports (FindingsGenerator puts this id on the model), so both name the same model line.
    /// </summary>
    public string ModelId { get; set; } = "llava-rad";
    public string PipelineVersion { get; set; } = "1";

    /// <summary>Runs everything but writes nothing to FHIR: the drafts go to <see cref="DraftFolder"/> for site validation.</summary>
    public bool ShadowMode { get; set; }

    /// <summary>While this file exists no new job is claimed (running jobs finish, queued ones wait). Re-read every loop.</summary>
    public string KillSwitchFile { get; set; } = "";

    /// <summary>Where transaction bundles are written when a draft is not sent to FHIR (embedded default, shadow, no FHIR subject).</summary>
    public string DraftFolder { get; set; } = "drafts";

    /// <summary>Generation length asked of the node.</summary>
    public int MaxNewTokens { get; set; } = 128;

    /// <summary>The identifier system of the site's own patient IDs, for images without an Issuer of Patient ID (0010,0021).</summary>
    public string SitePatientIdSystem { get; set; } = "urn:llavarad:site-patient-id";

    /// <summary>Issuer of Patient ID names as the EHR's identifier systems (e.g. "NVGH" → "urn:oid:1.2.3.4").</summary>
    public Dictionary<string, string> PatientIssuerSystems { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Prefix for issuer names that <see cref="PatientIssuerSystems"/> does not map (the name is appended).</summary>
    public string PatientIssuerSystemBase { get; set; } = "urn:llavarad:patient-issuer:";
}
