using Hl7.Fhir.Model;
using Task = Hl7.Fhir.Model.Task;

namespace LlavaRad.Review.SignOff;

/// <summary>
/// The draft's resources as read from where they were written (the FHIR server, or the local bundle), and how the
/// review's own writes refer to them: "Type/id" on a server, conditional references for a local bundle.
/// </summary>
public sealed record DraftResources(
    DiagnosticReport Report,
    string ReportReference,
    Task Task,
    string TaskReference,
    string DeviceReference,
    string? ReportVersion,
    string? TaskVersion,
    Uri? ServerBase)
{
    /// <summary>An entry's fullUrl: absolute on a server (bdl-7), none for a conditional reference.</summary>
    public string? FullUrlOf(string reference) =>
        ServerBase is null || reference.Contains('?') ? null : new Uri(new Uri(ServerBase.AbsoluteUri.TrimEnd('/') + "/"), reference).AbsoluteUri;
}

/// <summary>Who signs or rejects: a Practitioner reference (from SMART's fhirUser) or the local single-user reviewer.</summary>
/// <param name="PractitionerReference">"Practitioner/id"; null for the local reviewer, whose Practitioner is created by identifier.</param>
public sealed record Reviewer(string? PractitionerReference, string Display)
{
    public const string LocalSystem = "urn:llavarad:local-reviewer";
    public const string LocalValue = "local-single-user";

    public static Reviewer Local { get; } = new(null, "Local single-user reviewer (demo)");

    /// <summary>What the audit and the archive record: the reference, never a name.</summary>
    public string Id => PractitionerReference ?? $"{LocalSystem}|{LocalValue}";
}
