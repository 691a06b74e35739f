using System.Globalization;
using LlavaRad.Imaging;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Options;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// The safety net under the event sources: QIDO-RS for studies whose StudyDate lies between the last successful
/// poll's day (the durable cursor) and today, each observed with its count of image instances (see
/// <see cref="StudyImageInstances"/>) so the stability gate submits it once the count holds still. QIDO has no
/// "updated since", hence the day window.
/// </summary>
public sealed class QidoPollSource(
    IHttpClientFactory httpClients, SqlCursorStore cursors, StudyStabilityGate gate, TimeProvider clock,
    IOptions<StudySourcesOptions> options, WorkerMetrics metrics, ILogger<QidoPollSource> logger)
    : PollingSource(options, metrics, logger)
{
    public const string CursorName = "qido-studydate";
    public const string HttpClientName = "qido-poll";
    private const string DateFormat = "yyyyMMdd";

    public override string Name => "qido-poll";

    protected override TimeSpan Interval => Settings.Qido.Interval;

    public override async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        var settings = Settings.Qido;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var from = today.AddDays(-settings.LookbackDays);
        if (await cursors.LoadTextAsync(CursorName, cancellationToken) is { } text &&
            DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var lastPolled) &&
            lastPolled < from)
            from = lastPolled; // the worker was down for days: cover them

        var dicomWeb = new DicomWebClient(httpClients.CreateClient(HttpClientName),
            new DicomWebClientOptions { Username = settings.Username, Password = settings.Password });
        var found = 0;
        for (var offset = 0; ; offset += settings.Limit)
        {
            var studies = await dicomWeb.SearchStudiesAsync(new Dictionary<string, string>
            {
                ["StudyDate"] = $"{from.ToString(DateFormat, CultureInfo.InvariantCulture)}-",
                ["limit"] = settings.Limit.ToString(CultureInfo.InvariantCulture),
                ["offset"] = offset.ToString(CultureInfo.InvariantCulture),
                ["includefield"] = DicomTag.JsonKey(DicomTag.ModalitiesInStudy),
            }, cancellationToken);
            var page = new List<(StudySubmission, int)>();
            foreach (var study in studies.Where(study => study.GetString(DicomTag.StudyInstanceUid) is { Length: > 0 }))
            {
                var uid = study.GetString(DicomTag.StudyInstanceUid)!;
                if (await StudyImageInstances.CountAsync(dicomWeb, study, cancellationToken) is not { } images)
                {
                    Metrics.RecordSourceEvent(Name, StudyImageInstances.NoImageSeries);
                    Logger.LogInformation("Study {Study} holds no image series; skipped ({Code})", StudyUidHash.Short(uid),
                        StudyImageInstances.NoImageSeries);
                    continue;
                }
                page.Add((new StudySubmission(uid, settings.DefaultPriority, new StudyOrigin(StudyOriginKinds.DicomWeb, settings.Url!), Name),
                    images));
            }
            await gate.ObserveAllAsync(page, cancellationToken);
            found += page.Count;
            if (studies.Count < settings.Limit) break;
        }
        await cursors.SaveTextAsync(CursorName, today.ToString(DateFormat, CultureInfo.InvariantCulture), cancellationToken);
        Logger.LogInformation("QIDO poll from {From}: {Found} studies", from, found);
        return false;
    }
}
