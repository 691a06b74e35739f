using Hl7.Fhir.Model;

namespace LlavaRad.Fhir.Notifications;

/// <summary>
/// The SubscriptionStatus Parameters that opens every Subscriptions R5 Backport notification Bundle
/// (profile backport-subscription-status-r4): type, events-since-subscription-start and the notification events.
/// </summary>
internal sealed record BackportStatus(string Subscription, string Type, long? EventsSinceStart, IReadOnlyList<BackportEvent> Events)
{
    public static BackportStatus? From(Parameters parameters)
    {
        var type = Text(parameters.Parameter.FirstOrDefault(p => p.Name == "type")?.Value);
        if (type is null) return null;
        var subscription = (parameters.Parameter.FirstOrDefault(p => p.Name == "subscription")?.Value as ResourceReference)?.Reference ?? "(unnamed)";
        var events = parameters.Parameter.Where(p => p.Name == "notification-event").Select(e => new BackportEvent(
            Number(e.Part.FirstOrDefault(p => p.Name == "event-number")?.Value),
            (e.Part.FirstOrDefault(p => p.Name == "focus")?.Value as ResourceReference)?.Reference)).ToList();
        return new BackportStatus(subscription, type, Number(parameters.Parameter.FirstOrDefault(p => p.Name == "events-since-subscription-start")?.Value), events);
    }

    // R4 has no integer64: the IG sends counters as string; some servers send integer or unsignedInt.
    private static long? Number(DataType? value) => Text(value) is { } text && long.TryParse(text, out var n) ? n : null;

    private static string? Text(DataType? value) => value switch
    {
        PrimitiveType primitive => primitive.ToString(),
        _ => null,
    };
}

internal sealed record BackportEvent(long? Number, string? Focus);
