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
/// poll's day (the durable cursor) and today, each observed with its NumberOfStudyRelatedInstances so the
/// stability gate submits it once the count holds still. QIDO has no "updated since", hence the day window.
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
            }, cancellationToken);
            var page = studies
                .Where(study => study.GetString(DicomTag.StudyInstanceUid) is { Length: > 0 })
                .Select(study => (new StudySubmission(study.GetString(DicomTag.StudyInstanceUid)!, settings.DefaultPriority,
                    new StudyOrigin(StudyOriginKinds.DicomWeb, settings.Url!), Name), study.GetInt(DicomTag.NumberOfStudyRelatedInstances) ?? 0))
                .ToList();
            await gate.ObserveAllAsync(page, cancellationToken);
            found += page.Count;
            if (studies.Count < settings.Limit) break;
        }
        await cursors.SaveTextAsync(CursorName, today.ToString(DateFormat, CultureInfo.InvariantCulture), cancellationToken);
        Logger.LogInformation("QIDO poll from {From}: {Found} studies", from, found);
        return false;
    }
}
