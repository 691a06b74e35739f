namespace LlavaRad.Worker.Jobs;

/// <summary>Where one sink of a job stands. Stored as lowercase text, like the job state.</summary>
public enum SinkState
{
    Delivered,
    Retrying,
    Rejected,
}

/// <summary>
/// One sink's delivery of a job's draft: its state, the coded reason of its last failure, how often it was tried, and
/// where the draft went (the primary sink's FHIR reference or file; the review archive and later sinks are given it).
/// </summary>
public sealed record SinkDelivery(string Sink, SinkState State, string? Reason, int Attempts, DateTimeOffset UpdatedAt, string? Location);

/// <summary>The sink names the pipeline records, in the order it delivers to them.</summary>
public static class SinkNames
{
    public const string Fhir = "fhir";
    public const string Local = "local";
    public const string Shadow = "shadow";
    public const string LocalExports = "local-exports";
    public const string SrStow = "sr-stow";
    public const string Hl7Mllp = "hl7-mllp";
    public const string Review = "review";

    private static readonly string[] DeliveryOrder = [Fhir, Local, Shadow, LocalExports, SrStow, Hl7Mllp, Review];

    /// <summary>Delivery order, then any name this worker does not know by name.</summary>
    public static IEnumerable<SinkDelivery> InDeliveryOrder(this IEnumerable<SinkDelivery> deliveries) =>
        deliveries.OrderBy(d => Array.IndexOf(DeliveryOrder, d.Sink) is var i and >= 0 ? i : DeliveryOrder.Length)
            .ThenBy(d => d.Sink, StringComparer.Ordinal);

    public static string ToText(this SinkState state) => state.ToString().ToLowerInvariant();

    public static SinkState ParseState(string text) =>
        Enum.GetValues<SinkState>().FirstOrDefault(s => s.ToText() == text, (SinkState)(-1)) is var state && state >= 0
            ? state
            : throw new InvalidDataException($"unknown sink state \"{text}\" in the job store");
}
