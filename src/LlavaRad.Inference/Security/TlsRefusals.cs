using System.Diagnostics.Metrics;
using LlavaRad.Model.Generation;

namespace LlavaRad.Inference.Security;

/// <summary>
/// Refused client certificates: each is counted (llavarad.tls.refused, tag reason), and logged at most once per
/// <see cref="LogInterval"/> with the number refused meanwhile, so a scanner cannot flood the log. Nothing about the
/// peer is logged beyond the reason.
/// </summary>
public sealed partial class TlsRefusals(TimeProvider clock)
{
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);
    public const string UntrustedCertificate = LlavaRad.Contracts.ServerTls.UntrustedCertificate;
    private static readonly Meter Meter = new(BatcherMetrics.MeterName);
    private static readonly Counter<long> Refused = Meter.CreateCounter<long>("llavarad.tls.refused", description: "TLS client certificates refused");
    private readonly Lock _lock = new();
    private ILogger? _logger;
    private DateTimeOffset _lastLogged = DateTimeOffset.MinValue;
    private long _suppressed, _total;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>Kestrel is configured before the logging services exist; the logger arrives once the app is built.</summary>
    public void Attach(ILogger<TlsRefusals> logger) => _logger = logger;

    public void Record(string reason)
    {
        Interlocked.Increment(ref _total);
        Refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
        long suppressed;
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (now - _lastLogged < LogInterval) { _suppressed++; return; }
            _lastLogged = now;
            suppressed = _suppressed;
            _suppressed = 0;
        }
        if (_logger is { } logger) LogRefused(logger, reason, suppressed);
    }

    [LoggerMessage(EventId = 1200, EventName = "TlsClientRefused", Level = LogLevel.Warning,
        Message = "Refused a TLS client: {Reason} ({Suppressed} more refused since the last such message)")]
    private static partial void LogRefused(ILogger logger, string reason, long suppressed);
}
