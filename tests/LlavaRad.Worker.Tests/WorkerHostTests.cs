using System.Net;
using LlavaRad.Worker.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Tests;

public class WorkerHostTests
{
    [Fact]
    public async Task StartsOnTheEmbeddedSqliteStoreAndReportsTheMissingNodeAsDegraded()
    {
        using var dir = new TempDirectory();
        await using var app = WorkerHost.Build(
            ["--urls=http://127.0.0.1:0", $"--JobStore:SqlitePath={dir.File("jobs.db")}",
             $"--InferenceNode:Address=http://127.0.0.1:{ClosedPort.Next()}", "--InferenceNode:CallTimeout=00:00:02"],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        var response = await http.GetAsync("/healthz");
        var (job, created) = await app.Services.GetRequiredService<IJobStore>().EnqueueAsync(new JobRequest("1.2.3", "m", "p", JobPriority.Stat));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Degraded", await response.Content.ReadAsStringAsync());
        Assert.True(created);
        Assert.True(File.Exists(dir.File("jobs.db")), "the SQLite job store file was not created");
        await app.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task UnknownJobStoreProviderFailsAtStartUpNamingIt()
    {
        await using var app = WorkerHost.Build(["--urls=http://127.0.0.1:0", "--JobStore:Provider=mongodb"]);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("JobStore:Provider \"mongodb\" is neither sqlite nor postgresql", error.Message);
    }

    [Fact]
    public async Task PostgresProviderWithoutAConnectionStringFailsAtStartUp()
    {
        await using var app = WorkerHost.Build(["--urls=http://127.0.0.1:0", "--JobStore:Provider=postgresql"]);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("ConnectionStrings:JobStore", error.Message);
    }
}
