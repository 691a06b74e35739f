using System.Net;
using LlavaRad.Review.Drafts;
using LlavaRad.Worker.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlavaRad.Worker.Tests.Review;

public sealed class WorkerReviewTests
{
    [Fact]
    public async Task TheWorkerServesTheReviewAppWhenEnabledBehindItsSignIn()
    {
        using var dir = new TempDirectory();
        await using var app = WorkerHost.Build(
            ["--urls=http://127.0.0.1:0", $"--JobStore:SqlitePath={dir.File("jobs.db")}",
             $"--InferenceNode:Address=http://127.0.0.1:{ClosedPort.Next()}", "--Review:Enabled=true",
             $"--Review:ArchiveFolder={dir.File("archive")}", $"--Review:OutputFolder={dir.File("out")}"],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Urls.Single()) };

        var worklist = await http.GetAsync("/review/");
        var login = await http.GetAsync("/review/login");

        Assert.Equal(HttpStatusCode.Redirect, worklist.StatusCode);
        Assert.StartsWith("/review/login", worklist.Headers.Location!.PathAndQuery);
        Assert.Contains("Local single-user mode", await login.Content.ReadAsStringAsync());
        Assert.IsType<FolderReviewArchive>(app.Services.GetRequiredService<IReviewArchive>());
        await app.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void AReviewersActionIsAuditedWithThePersonAsRequestor()
    {
        var mapper = new AuditEventMapper(new AuditOptions());

        var audit = mapper.Map(new AuditRecord(AuditActions.Create, "transaction", "DiagnosticReport/5", "Patient/7", "review",
            DateTimeOffset.UtcNow, null, "Practitioner/42"));

        var person = audit.Agent[0];
        Assert.Equal("humanuser", person.Type!.Coding[0].Code);
        Assert.Equal("Practitioner/42", person.Who!.Reference);
        Assert.True(person.Requestor);
        Assert.Single(audit.Agent, a => a.Requestor == true);
    }
}
