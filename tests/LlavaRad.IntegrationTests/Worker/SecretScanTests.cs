using System.Net;
using System.Text;
using LlavaRad.Fhir;
using LlavaRad.Imaging;
using LlavaRad.IntegrationTests.Sources;
using LlavaRad.Worker;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Task = System.Threading.Tasks.Task;

namespace LlavaRad.IntegrationTests.Worker;

/// <summary>
/// Real work with every kind of secret configured (DICOMweb Basic password, FHIR Basic password, notification
/// token): no log line at any level, audit event or metric holds a secret value or a sample patient's name or ID.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class SecretScanTests(Peers peers) : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly TinyNode _node = new();
    private readonly string _dicomWebPassword = $"pacs-pw-{Guid.NewGuid():N}";
    private readonly string _fhirPassword = $"fhir-pw-{Guid.NewGuid():N}";
    private readonly string _notificationToken = $"notify-{Guid.NewGuid():N}";

    public Task InitializeAsync() => _node.StartAsync();

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task NoSecretAndNoPatientNameOrIdReachesLogsAuditOrMetrics()
    {
        var fhir = new FhirStore(new HttpClient { BaseAddress = peers.FhirUrl });
        var study = await WorkerSampleStudy.LoadAsync(fhir, new DicomWebClient(new HttpClient { BaseAddress = peers.DicomWebUrl }),
            peers.DicomWebUrl, "pa-chest-dx-8bit-no-window");
        var logs = new LogRecorder();
        var worker = WorkerHost.Build(
        [
            "--urls=http://127.0.0.1:0", $"--JobStore:SqlitePath={_dir.File("jobs.db")}", $"--InferenceNode:Address={_node.Address}",
            "--InferenceNode:CallTimeout=00:01:00", $"--Fhir:BaseUrl={peers.FhirUrl}", "--Fhir:Auth:Mode=Basic", "--Fhir:Auth:BasicUser=llavarad",
            $"--Fhir:Auth:BasicPassword={_fhirPassword}", $"--DicomWeb:BaseUrl={peers.DicomWebUrl}", "--DicomWeb:Username=llavarad",
            $"--DicomWeb:Password={_dicomWebPassword}", "--Sources:FhirNotifications:Enabled=true",
            $"--Fhir:Notifications:ExpectedAuthorization=Bearer {_notificationToken}", $"--Pipeline:DraftFolder={_dir.File("drafts")}",
            "--Pipeline:IdlePollInterval=00:00:00.100", "--Pipeline:MaxNewTokens=16", $"--Audit:FilePath={_dir.File("audit.jsonl")}",
        ], builder => builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await worker.StartAsync();
        await using var _ = worker;
        using var http = new HttpClient { BaseAddress = new Uri(worker.Urls.First()) };

        Assert.Equal(HttpStatusCode.OK, (await NotifyAsync(http, study, $"Bearer {_notificationToken}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await NotifyAsync(http, study, $"Bearer {_notificationToken}x")).StatusCode);
        var job = await DraftedAsync(worker, study.StudyInstanceUid);
        Assert.True(job.State == JobState.Succeeded, $"{job.State}: {job.LastError}");
        var metrics = await http.GetStringAsync("/metrics");

        var scanned = new Dictionary<string, string>
        {
            ["logs"] = string.Join('\n', logs.Lines), ["audit"] = File.ReadAllText(_dir.File("audit.jsonl")), ["metrics"] = metrics,
        };
        var secrets = new[]
        {
            _dicomWebPassword, _fhirPassword, _notificationToken,
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"llavarad:{_dicomWebPassword}")),
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"llavarad:{_fhirPassword}")),
        };
        foreach (var (what, text) in scanned)
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"{what} is empty: nothing was scanned");
            foreach (var secret in secrets) Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{what} holds a configured secret");
            SamplePatientData.AssertAbsent(what, [text]);
        }
    }

    private static async Task<HttpResponseMessage> NotifyAsync(HttpClient http, WorkerSampleStudy study, string authorization)
    {
        var id = study.ImagingStudyReference.Split('/')[1];
        using var request = new HttpRequestMessage(HttpMethod.Put, $"fhir/notifications/ImagingStudy/{id}")
        {
            Content = new StringContent($$"""{"resourceType":"ImagingStudy","id":"{{id}}"}""", Encoding.UTF8, "application/fhir+json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await http.SendAsync(request);
    }

    /// <summary>The notification's job, whatever priority the order gave it, once it has finished.</summary>
    private static async Task<Job> DraftedAsync(WebApplication worker, string uid)
    {
        var store = worker.Services.GetRequiredService<IJobStore>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (true)
        {
            foreach (var priority in Enum.GetValues<JobPriority>())
                if (await store.FindAsync(new JobRequest(uid, "llava-rad", "1", priority).Key, limit.Token) is
                    { State: JobState.Succeeded or JobState.Rejected or JobState.DeadLettered } job)
                    return job;
            await Task.Delay(200, limit.Token);
        }
    }
}
