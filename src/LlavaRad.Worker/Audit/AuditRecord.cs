namespace LlavaRad.Worker.Audit;

/// <summary>
/// One access to patient data, before it becomes a FHIR AuditEvent (IHE BALP style): what was done
/// (<see cref="AuditActions"/>), to what (a FHIR reference or a DICOM study), for which patient when known, and how it ended.
/// </summary>
/// <param name="Subtype">The interaction: "read", "search", "transaction", "wado-rs-retrieve".</param>
/// <param name="Entity">"ImagingStudy/12", "DiagnosticReport/34", or "urn:oid:&lt;StudyInstanceUID&gt;" for DICOM.</param>
/// <param name="Server">The FHIR or DICOMweb base the call went to.</param>
/// <param name="FailureCode">Null on success; the coded reason otherwise.</param>
/// <param name="User">The person who acted (a review app user's reference), null for the service's own calls.</param>
public sealed record AuditRecord(
    string Action,
    string Subtype,
    string Entity,
    string? Patient,
    string Server,
    DateTimeOffset Recorded,
    string? FailureCode,
    string? User = null);

/// <summary>FHIR AuditEvent.action codes (http://hl7.org/fhir/audit-event-action).</summary>
public static class AuditActions
{
    public const string Create = "C";
    public const string Read = "R";
    public const string Execute = "E";
}
