using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlavaRad.Fhir.Intake;

/// <summary>
/// Finds ImagingStudies changed since the durable cursor (<c>_lastUpdated=ge(cursor - overlap)</c>), enqueues each
/// version once, and moves the cursor to the newest lastUpdated the server reported (server time, not ours).
/// Overlapping windows re-read a little on purpose; the (id, versionId) memory of the overlap drops the repeats.
/// Also the recovery path when notifications were missed.
/// </summary>
public sealed class ImagingStudyPoller(FhirStore store, IPollCursorStore cursors, IStudyEventQueue queue, IOptions<PollingOptions> options,
    TimeProvider time, ILogger<ImagingStudyPoller> logger) : IMissedEventRecovery
{
    public const string CursorName = "fhir-imagingstudy-lastupdated";
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal); // "id|versionId" -> lastUpdated
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>One poll; returns how many new study versions were enqueued.</summary>
    public async Task<int> PollOnceAsync(string source = "poll", CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var settings = options.Value;
            var cursor = await cursors.LoadAsync(CursorName, cancellationToken) ?? time.GetUtcNow() - settings.InitialLookback;
            var from = cursor - settings.Overlap;
            var query = new SearchParams().Add("_lastUpdated", $"ge{from.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}")
                .OrderBy("_lastUpdated").LimitTo(settings.PageSize);
            if (settings.Filter is { Length: > 0 } filter)
                foreach (var part in filter.Split('&', StringSplitOptions.RemoveEmptyEntries))
                    query.Add(part[..part.IndexOf('=')], part[(part.IndexOf('=') + 1)..]);

            var studies = await store.SearchAsync<ImagingStudy>(query, cancellationToken);
            var enqueued = 0;
            var newest = cursor;
            foreach (var study in studies)
            {
                var updated = study.Meta?.LastUpdated ?? cursor;
                if (updated > newest) newest = updated;
                var key = $"{study.Id}|{study.Meta?.VersionId}";
                if (!_seen.TryAdd(key, updated)) continue;
                try
                {
                    await queue.EnqueueAsync(new StudyEvent($"ImagingStudy/{study.Id}", study.Meta?.VersionId, source), cancellationToken);
                }
                catch
                {
                    _seen.Remove(key); // not handed over: the next poll (same cursor, it was not saved) must see it again
                    throw;
                }
                enqueued++;
            }
            await cursors.SaveAsync(CursorName, newest, cancellationToken);
            Forget(olderThan: newest - settings.Overlap - settings.Overlap);
            logger.LogInformation("ImagingStudy {Source}: {Found} in window, {Enqueued} new", source, studies.Count, enqueued);
            return enqueued;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public Task RecoverAsync(CancellationToken cancellationToken) => PollOnceAsync("recovery", cancellationToken);

    private void Forget(DateTimeOffset olderThan)
    {
        foreach (var key in _seen.Where(p => p.Value < olderThan).Select(p => p.Key).ToList()) _seen.Remove(key);
    }
}
