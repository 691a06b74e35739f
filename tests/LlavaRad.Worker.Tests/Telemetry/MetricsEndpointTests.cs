using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace LlavaRad.Worker.Tests.Telemetry;

[Collection(ProcessWideMetricsCollection.Name)]
public class MetricsEndpointTests
{
    [Fact]
    public async Task TheScrapeShowsEveryWorkerInstrumentWithItsTags()
    {
        await using var worker = await RunningWorker.StartAsync();
        var services = worker.App.Services;
        var store = services.GetRequiredService<IJobStore>();
        await store.EnqueueAsync(new JobRequest("1.2.3", "m", "p", JobPriority.Stat));
        await store.EnqueueAsync(new JobRequest("1.2.4", "m", "p", JobPriority.Stat));
        await store.EnqueueAsync(new JobRequest("1.2.5", "m", "p", JobPriority.Routine));
        await services.GetRequiredService<QueueDepthSampler>().SampleAsync(CancellationToken.None);
        var metrics = services.GetRequiredService<WorkerMetrics>();
        metrics.RecordStage("infer", TimeSpan.FromMilliseconds(1500));
        metrics.RecordOutcome(JobState.Rejected, "no-frontal-view");
        metrics.RecordTimeToDraft(TimeSpan.FromSeconds(42), JobPriority.Urgent);
        metrics.RecordSourceEvent("orthanc-changes", "submitted");
        metrics.RecordSourceFailure("fhir-poll", "fhir-unreachable");

        var text = await ScrapeAsync(worker.Http);

        Assert.Equal(2, Value(text, "llavarad_worker_queue_depth", "priority=\"stat\"", "state=\"queued\""));
        Assert.Equal(1, Value(text, "llavarad_worker_queue_depth", "priority=\"routine\"", "state=\"queued\""));
        Assert.Equal(0, Value(text, "llavarad_worker_queue_depth", "priority=\"urgent\"", "state=\"dead-lettered\""));
        Assert.Equal(1, Value(text, "llavarad_worker_stage_duration_seconds_count", "stage=\"infer\""));
        Assert.Equal(1, Value(text, "llavarad_worker_outcomes_total", "outcome=\"rejected\"", "reason=\"no-frontal-view\""));
        Assert.Equal(42, Value(text, "llavarad_worker_time_to_draft_seconds_sum", "priority=\"urgent\""));
        Assert.Equal(1, Value(text, "llavarad_worker_source_events_total", "source=\"orthanc-changes\"", "disposition=\"submitted\""));
        Assert.Equal(1, Value(text, "llavarad_worker_source_failures_total", "source=\"fhir-poll\"", "reason=\"fhir-unreachable\""));
    }

    [Fact]
    public async Task TheScrapeCarriesNoStudyUid()
    {
        const string uid = "2.25.987654321987654321";
        await using var worker = await RunningWorker.StartAsync();
        var services = worker.App.Services;
        await services.GetRequiredService<IJobStore>().EnqueueAsync(new JobRequest(uid, "m", "p", JobPriority.Urgent));
        await services.GetRequiredService<QueueDepthSampler>().SampleAsync(CancellationToken.None);

        var text = await ScrapeAsync(worker.Http);

        Assert.Contains("llavarad_worker_queue_depth", text);
        Assert.DoesNotContain(uid, text);
    }

    private static async Task<string> ScrapeAsync(HttpClient http)
    {
        // The exporter caches a scrape briefly; the first answer after recording is fresh.
        using var response = await http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of the one sample of that metric carrying all those labels (fails if there is not exactly one).</summary>
    private static double Value(string scrape, string metric, params string[] labels)
    {
        var lines = scrape.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(l.Contains)).ToList();
        Assert.True(lines.Count == 1, $"expected one {metric} line with {string.Join(",", labels)}; scrape was:\n{scrape}");
        // "name{labels} value [timestamp]"
        return double.Parse(lines[0][(lines[0].LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
