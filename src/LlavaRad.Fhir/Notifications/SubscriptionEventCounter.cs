namespace LlavaRad.Fhir.Notifications;

/// <summary>
/// The last events-since-subscription-start seen per Backport subscription. In memory: after a restart the first
/// notification cannot show a gap, which the poller's durable cursor covers.
/// </summary>
public sealed class SubscriptionEventCounter
{
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);

    /// <summary>Records that events up to <paramref name="upTo"/> are accounted for; true when events before
    /// <paramref name="firstNew"/> were never delivered (a gap).</summary>
    public bool Advance(string subscription, long firstNew, long upTo)
    {
        lock (_last)
        {
            var known = _last.TryGetValue(subscription, out var last);
            if (!known || upTo > last) _last[subscription] = upTo;
            return known && firstNew > last + 1;
        }
    }
}
