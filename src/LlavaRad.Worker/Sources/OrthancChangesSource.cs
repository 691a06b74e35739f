using System.Globalization;
using LlavaRad.Imaging.DicomWeb;
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
    OrthancChangeFeed feed, OrthancStudyLookup lookup, SqlCursorStore cursors, IStudySubmitter submitter,
    IOptions<StudySourcesOptions> options, WorkerMetrics metrics, ILogger<OrthancChangesSource> logger)
    : PollingSource(options, metrics, logger)
{
    public const string CursorName = "orthanc-changes-seq";

    public override string Name => "orthanc-changes";

    protected override TimeSpan Interval => Settings.Orthanc.Interval;

    public override async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        var settings = Settings.Orthanc;
        var since = await CursorAsync(settings, cancellationToken);
        var page = await feed.ReadAsync(since, settings.PageSize, cancellationToken);
        foreach (var change in page.Changes.Where(c => c is { ChangeType: "StableStudy", ResourceType: "Study" }))
        {
            if (await lookup.StudyAsync(change.OrthancId, cancellationToken) is not { } study)
            {
                Metrics.RecordSourceEvent(Name, "skipped");
                continue; // deleted from Orthanc since it became stable: nothing left to draft
            }
            var (uid, instances) = study;
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

    private async Task<long> CursorAsync(OrthancChangesSourceOptions settings, CancellationToken cancellationToken)
    {
        if (await cursors.LoadTextAsync(CursorName, cancellationToken) is { } text)
            return long.Parse(text, CultureInfo.InvariantCulture);
        // First start: from Orthanc's current end, unless told to replay the archive's whole history.
        var start = settings.StartFromBeginning ? 0 : await lookup.LastChangeAsync(cancellationToken);
        await cursors.SaveTextAsync(CursorName, start.ToString(CultureInfo.InvariantCulture), cancellationToken);
        return start;
    }
}
