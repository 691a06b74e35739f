using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using LlavaRad.Fhir.Http;
using LlavaRad.Fhir.Intake;
using Microsoft.Extensions.Logging;

namespace LlavaRad.Fhir.Notifications;

/// <summary>
/// Handles one rest-hook notification: classic R4 (empty ping, id-only or full ImagingStudy) and Subscriptions R5
/// Backport Bundles (handshake, heartbeat, event-notification). Unauthenticated requests get 401 and malformed
/// ones 400 with an OperationOutcome; neither enqueues anything. A ping, or a gap in the Backport event numbers,
/// triggers recovery by search. A focus given as an absolute URL off the allowed FHIR bases is refused
/// (<see cref="FhirStoreException.UrlNotAllowed"/>), never re-read from our base under the same id.
/// </summary>
public sealed partial class SubscriptionNotificationHandler(
    NotificationAuthenticator authenticator,
    IStudyEventQueue queue,
    IMissedEventRecovery recovery,
    SubscriptionEventCounter counter,
    FhirUrlPolicy urls,
    ILogger<SubscriptionNotificationHandler> logger)
{
    private readonly FhirJsonDeserializer _json = new();

    public async Task<NotificationResponse> HandleAsync(NotificationRequest request, CancellationToken cancellationToken = default)
    {
        if (!authenticator.IsAuthentic(request))
        {
            logger.LogWarning("Rest-hook notification refused: not authenticated");
            return NotificationResponse.Refuse(401, OperationOutcome.IssueType.Login, "Notification not authenticated");
        }
        if (request.Body.Length == 0 || Encoding.UTF8.GetString(request.Body).Trim().Length == 0)
            return await PingAsync(request, cancellationToken);

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return NotificationResponse.Refuse(400, OperationOutcome.IssueType.Structure, "Body is not JSON");
        }
        var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;
        return type switch
        {
            "ImagingStudy" => await ClassicAsync(root, request.ResourcePath, cancellationToken),
            "Bundle" => await BundleAsync(request.Body, cancellationToken),
            _ => NotificationResponse.Refuse(400, OperationOutcome.IssueType.NotSupported,
                "Expected an ImagingStudy or a Subscriptions Backport notification Bundle"),
        };
    }

    private async Task<NotificationResponse> BundleAsync(byte[] body, CancellationToken cancellationToken)
    {
        Bundle bundle;
        try
        {
            bundle = _json.Deserialize<Bundle>(Encoding.UTF8.GetString(body));
        }
        catch (DeserializationFailedException)
        {
            return NotificationResponse.Refuse(400, OperationOutcome.IssueType.Structure, "Bundle is not valid FHIR R4");
        }
        return bundle is { Type: Bundle.BundleType.History } && bundle.Entry.FirstOrDefault()?.Resource is Parameters status
            ? await BackportAsync(bundle, status, cancellationToken)
            : NotificationResponse.Refuse(400, OperationOutcome.IssueType.Structure, "Bundle is not a Backport notification (history, SubscriptionStatus first)");
    }

    /// <summary>Classic rest-hook without payload: "something matching changed"; find out what by search.</summary>
    private async Task<NotificationResponse> PingAsync(NotificationRequest request, CancellationToken cancellationToken)
    {
        if (request.ResourcePath is { } path && path.StartsWith("ImagingStudy/", StringComparison.Ordinal) && IsStudyReference(Relative(path)))
        {
            await queue.EnqueueAsync(new StudyEvent(Relative(path), null, "rest-hook"), cancellationToken);
            return NotificationResponse.Accepted;
        }
        await recovery.RecoverAsync(cancellationToken);
        return NotificationResponse.Accepted;
    }

    /// <summary>Full-resource or id-only payload: only id and versionId matter (the worker re-reads the study), so
    /// the JSON is read directly and an id-only body, invalid as a full R4 resource, is accepted.</summary>
    private async Task<NotificationResponse> ClassicAsync(JsonElement study, string? path, CancellationToken cancellationToken)
    {
        // PUT {endpoint}/ImagingStudy/{id} names the study in the path when the body leaves the id out.
        var id = StringProperty(study, "id") ?? (path?.Split('/') is ["ImagingStudy", var fromPath, ..] ? fromPath : null);
        if (string.IsNullOrEmpty(id) || !IsFhirId(id))
            return NotificationResponse.Refuse(400, OperationOutcome.IssueType.Required, "ImagingStudy without a valid id");
        var version = study.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object ? StringProperty(meta, "versionId") : null;
        await queue.EnqueueAsync(new StudyEvent($"ImagingStudy/{id}", version, "rest-hook"), cancellationToken);
        return NotificationResponse.Accepted;
    }

    private async Task<NotificationResponse> BackportAsync(Bundle bundle, Parameters parameters, CancellationToken cancellationToken)
    {
        if (BackportStatus.From(parameters) is not { } status)
            return NotificationResponse.Refuse(400, OperationOutcome.IssueType.Required, "SubscriptionStatus without type");

        switch (status.Type)
        {
            case "handshake":
                counter.Advance(status.Subscription, (status.EventsSinceStart ?? 0) + 1, status.EventsSinceStart ?? 0);
                return NotificationResponse.Accepted;
            case "heartbeat":
                if (status.EventsSinceStart is { } total && counter.Advance(status.Subscription, total + 1, total))
                    await RecoverGapAsync(status, cancellationToken);
                return NotificationResponse.Accepted;
            case "event-notification" or "query-event":
                var numbers = status.Events.Select(e => e.Number).OfType<long>().ToList();
                var first = numbers.Count > 0 ? numbers.Min() : status.EventsSinceStart;
                var last = numbers.Count > 0 ? numbers.Max() : status.EventsSinceStart;
                var gap = first is { } f && last is { } l && counter.Advance(status.Subscription, f, l);
                if (status.EventsSinceStart is { } since && last is { } seen && since > seen) gap = true;
                foreach (var focus in FocusedStudies(bundle, status))
                    await queue.EnqueueAsync(focus, cancellationToken);
                if (gap) await RecoverGapAsync(status, cancellationToken);
                return NotificationResponse.Accepted;
            default:
                return NotificationResponse.Accepted; // query-status and future types carry nothing to enqueue
        }
    }

    private IEnumerable<StudyEvent> FocusedStudies(Bundle bundle, BackportStatus status)
    {
        var fullResources = bundle.Entry.Skip(1).Select(e => e.Resource).OfType<ImagingStudy>().ToDictionary(s => $"ImagingStudy/{s.Id}");
        return status.Events.Select(e => e.Focus).OfType<string>()
            .Where(OnAllowedBase).Select(Relative).Where(IsStudyReference).Distinct()
            .Select(r => new StudyEvent(r, fullResources.GetValueOrDefault(r)?.Meta?.VersionId, "backport"));
    }

    /// <summary>A relative focus is on our base by definition; an absolute one must lie under an allowed base.</summary>
    private bool OnAllowedBase(string reference)
    {
        if (!Uri.TryCreate(reference, UriKind.Absolute, out var address) || urls.Allows(address)) return true;
        logger.LogWarning("{Reason}", FhirUrlPolicy.Refusal("notification focus", address).Message);
        return false;
    }

    /// <summary>"http://ehr/fhir/R4/ImagingStudy/5/_history/2" -> "ImagingStudy/5".</summary>
    private static string Relative(string reference)
    {
        var parts = reference.Split('/');
        var at = Array.IndexOf(parts, "ImagingStudy");
        return at >= 0 && at + 1 < parts.Length ? $"ImagingStudy/{parts[at + 1]}" : reference;
    }

    /// <summary>"ImagingStudy/{id}" with an id of the FHIR id pattern: nothing else reaches the FHIR server's URL.</summary>
    private static bool IsStudyReference(string reference) =>
        reference.Split('/') is ["ImagingStudy", var id] && IsFhirId(id);

    /// <summary>The FHIR id pattern, less ids of dots alone, which a URL would resolve as path segments.</summary>
    public static bool IsFhirId(string id) => IdPattern().IsMatch(id) && id.Trim('.').Length > 0;

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex IdPattern();

    private async System.Threading.Tasks.Task RecoverGapAsync(BackportStatus status, CancellationToken cancellationToken)
    {
        logger.LogWarning("Subscription notification gap (events since start {Events}); recovering by search", status.EventsSinceStart);
        await recovery.RecoverAsync(cancellationToken);
    }
}
