using System.Globalization;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Imaging.Sr;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Options;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// Reads Orthanc's /changes log from the durable sequence cursor and submits each StableStudy: Orthanc has
/// already waited its StableAge without new instances, so these skip the stability gate. The cursor moves only
/// after a page's studies were submitted, so a crash re-reads the page (the job key makes that harmless).
/// </summary>
public sealed class OrthancChangesSource(
    IHttpClientFactory httpClients, SqlCursorStore cursors, IStudySubmitter submitter,
    IOptions<StudySourcesOptions> options, WorkerMetrics metrics, ILogger<OrthancChangesSource> logger)
    : PollingSource(options, metrics, logger)
{
    public const string CursorName = "orthanc-changes-seq";
    public const string HttpClientName = "orthanc-changes";

    public override string Name => "orthanc-changes";

    /// <summary>
    /// Disposition of a StableStudy whose newest series is our own draft SR (its series UID is derived from the
    /// study UID, so nobody else's series matches): the worker's own output echoing back, not a study to draft.
    /// </summary>
    public const string OwnSrEcho = "own-sr-echo";

    protected override TimeSpan Interval => Settings.Orthanc.Interval;

    public override async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        var settings = Settings.Orthanc;
        // A client per poll, as IHttpClientFactory intends; created here rather than at construction so that a
        // missing URL is reported by start-up validation, not as a failure to build the service.
        var http = httpClients.CreateClient(HttpClientName);
        var clientOptions = new DicomWebClientOptions { Username = settings.Username, Password = settings.Password, RequestTimeout = TimeSpan.FromSeconds(30) };
        var feed = new OrthancChangeFeed(http, clientOptions);
        var lookup = new OrthancStudyLookup(http, clientOptions);
        var since = await CursorAsync(lookup, settings, cancellationToken);
        var page = await feed.ReadAsync(since, settings.PageSize, cancellationToken);
        foreach (var change in page.Changes.Where(c => c is { ChangeType: "StableStudy", ResourceType: "Study" }))
        {
            if (await lookup.StudyAsync(change.OrthancId, cancellationToken) is not { } study)
            {
                Metrics.RecordSourceEvent(Name, "skipped");
                continue; // deleted from Orthanc since it became stable: nothing left to draft
            }
            var (uid, instances) = study;
            if (await lookup.NewestSeriesUidAsync(change.OrthancId, cancellationToken) == DraftSrWriter.SeriesUid(uid))
            {
                Metrics.RecordSourceEvent(Name, OwnSrEcho);
                Logger.LogInformation("Study {Study} changed only by our draft SR; skipped ({Code})", StudyUidHash.Short(uid), OwnSrEcho);
                continue;
            }
            await submitter.SubmitAsync(new StudySubmission(uid, settings.DefaultPriority,
                new StudyOrigin(StudyOriginKinds.DicomWeb, settings.DicomWebUrl!), Name), cancellationToken);
            Metrics.RecordSourceEvent(Name, "submitted");
            Logger.LogInformation("Study {Study} stable in Orthanc with {Instances} instances; submitted",
                StudyUidHash.Short(uid), instances);
        }
        if (page.Last != since)
            await cursors.SaveTextAsync(CursorName, page.Last.ToString(CultureInfo.InvariantCulture), cancellationToken);
        return !page.Done;
    }

    private async Task<long> CursorAsync(OrthancStudyLookup lookup, OrthancChangesSourceOptions settings, CancellationToken cancellationToken)
    {
        if (await cursors.LoadTextAsync(CursorName, cancellationToken) is { } text)
            return long.Parse(text, CultureInfo.InvariantCulture);
        // First start: from Orthanc's current end, unless told to replay the archive's whole history.
        var start = settings.StartFromBeginning ? 0 : await lookup.LastChangeAsync(cancellationToken);
        await cursors.SaveTextAsync(CursorName, start.ToString(CultureInfo.InvariantCulture), cancellationToken);
        return start;
    }
}
