using Hl7.Fhir.Model;

namespace LlavaRad.Fhir.Notifications;

/// <summary>One rest-hook HTTP request, framework-free so any host (the worker, a test app) can pass it in.</summary>
/// <param name="ResourcePath">The path after the endpoint, e.g. "ImagingStudy/123" for PUT {endpoint}/ImagingStudy/123, else null.</param>
public sealed record NotificationRequest(string Method, string? ResourcePath, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>What to answer: a status code and, for refusals, an OperationOutcome.</summary>
public sealed record NotificationResponse(int StatusCode, OperationOutcome? Outcome)
{
    public static readonly NotificationResponse Accepted = new(200, null);

    public static NotificationResponse Refuse(int status, OperationOutcome.IssueType type, string text) => new(status, new OperationOutcome
    {
        Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = type, Details = new CodeableConcept { Text = text } }],
    });
}
