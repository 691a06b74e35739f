using LlavaRad.Worker.Sources;
using LlavaRad.Worker.Tests.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Tests.Options;

/// <summary>A bad setting stops the worker at start with a message that names the setting.</summary>
public class OptionsValidationTests
{
    private static async Task<string> StartFailure(params string[] settings)
    {
        using var dir = new TempDirectory();
        await using var app = WorkerHost.Build(
            ["--urls=http://127.0.0.1:0", $"--JobStore:SqlitePath={dir.File("jobs.db")}", .. settings],
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Services.AddSingleton<IStudySubmitter, RecordingStudySubmitter>(); // the pipeline's, in the real host
            });
        // One options class with problems: an OptionsValidationException; several: an AggregateException of them.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.True(error is OptionsValidationException or AggregateException { InnerExceptions: [OptionsValidationException, ..] }, error.ToString());
        return error.Message;
    }

    [Fact]
    public async Task AnOrthancUrlThatIsNotAnAbsoluteHttpUrlIsNamed()
    {
        var message = await StartFailure("--Sources:Orthanc:Enabled=true", "--Sources:Orthanc:Url=orthanc:8042",
            "--Sources:Orthanc:DicomWebUrl=http://127.0.0.1:8042/dicom-web");
        Assert.Contains("Sources:Orthanc:Url must be an absolute http(s) URL", message);
    }

    [Fact]
    public async Task AnEnabledOrthancSourceWithoutItsDicomWebUrlIsNamed()
    {
        var message = await StartFailure("--Sources:Orthanc:Enabled=true", "--Sources:Orthanc:Url=http://127.0.0.1:8042");
        Assert.Contains("Sources:Orthanc:DicomWebUrl must be an absolute http(s) URL", message);
    }

    [Fact]
    public async Task AnEnabledOrthancSourceWithNoUrlsAtAllIsReportedByValidationNotACrash()
    {
        var message = await StartFailure("--Sources:Orthanc:Enabled=true");
        Assert.Contains("Sources:Orthanc:Url must be an absolute http(s) URL", message);
        Assert.Contains("Sources:Orthanc:DicomWebUrl must be an absolute http(s) URL", message);
    }

    [Fact]
    public async Task AFtpQidoUrlIsRefused()
    {
        var message = await StartFailure("--Sources:Qido:Enabled=true", "--Sources:Qido:Url=ftp://pacs/dicom-web");
        Assert.Contains("Sources:Qido:Url must be an absolute http(s) URL", message);
    }

    [Fact]
    public async Task ANegativeQuietPeriodIsRefused()
    {
        var message = await StartFailure("--Sources:Stability:QuietPeriod=-00:00:05");
        Assert.Contains("Sources:Stability:QuietPeriod must be a positive duration", message);
    }

    [Fact]
    public async Task ZeroAttemptsIsRefused()
    {
        var message = await StartFailure("--JobStore:MaxAttempts=0");
        Assert.Contains("JobStore:MaxAttempts must be at least 1", message);
    }

    [Fact]
    public async Task AnInferenceNodeTimeoutOfZeroIsRefused()
    {
        var message = await StartFailure("--InferenceNode:CallTimeout=00:00:00");
        Assert.Contains("InferenceNode:CallTimeout must be a positive duration", message);
    }

    [Fact]
    public async Task SeveralBadSettingsAreAllReportedAtOnce()
    {
        var message = await StartFailure("--Sources:Orthanc:Enabled=true", "--Sources:Orthanc:Url=x", "--Sources:Orthanc:DicomWebUrl=y",
            "--Sources:Orthanc:PageSize=0");
        Assert.Contains("Sources:Orthanc:Url", message);
        Assert.Contains("Sources:Orthanc:DicomWebUrl", message);
        Assert.Contains("Sources:Orthanc:PageSize must be between 1 and 10000", message);
    }

    [Fact]
    public async Task ThreeProblemsInThreeSectionsAreAllListedInOneStartFailure()
    {
        var message = await StartFailure("--JobStore:MaxAttempts=0", "--InferenceNode:CallTimeout=00:00:00", "--Pipeline:Concurrency=0");
        Assert.Contains("JobStore:MaxAttempts must be at least 1", message);
        Assert.Contains("InferenceNode:CallTimeout must be a positive duration", message);
        Assert.Contains("Pipeline:Concurrency must be 1..256", message);
    }

    [Fact]
    public async Task ARelativeFhirBaseUrlIsRefusedRatherThanTakenAsNoFhir()
    {
        var message = await StartFailure("--Fhir:BaseUrl=ehr/fhir");
        Assert.Contains("Fhir:BaseUrl must be an absolute http(s) URL", message);
    }

    [Fact]
    public async Task AFhirAuditSinkWithoutAFhirServerIsRefusedAtStart()
    {
        var message = await StartFailure("--Audit:Sink=fhir");
        Assert.Contains("Audit:Sink is fhir but Fhir:BaseUrl is empty", message);
    }

    [Fact]
    public async Task FhirPollingWithoutAFhirBaseUrlIsRefused()
    {
        var message = await StartFailure("--Sources:FhirPoll:Enabled=true");
        Assert.Contains("Fhir:BaseUrl must be an absolute http(s) URL", message);
    }

    [Fact]
    public async Task NotificationsWithoutAnyWayToAuthenticateTheSenderAreRefused()
    {
        var message = await StartFailure("--Sources:FhirNotifications:Enabled=true", "--Fhir:BaseUrl=http://127.0.0.1:1/fhir");
        Assert.Contains("Fhir:Notifications:ExpectedAuthorization or Fhir:Notifications:HmacSecret must be set", message);
        Assert.DoesNotContain("Fhir:BaseUrl", message);
    }

    [Fact]
    public async Task TheDefaultsStart()
    {
        using var dir = new TempDirectory();
        await using var app = WorkerHost.Build(["--urls=http://127.0.0.1:0", $"--JobStore:SqlitePath={dir.File("jobs.db")}"],
            builder => builder.Logging.ClearProviders());
        await app.StartAsync();
        await app.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
