using LlavaRad.Worker.Listeners;
using LlavaRad.Worker.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlavaRad.Worker.Tests.Telemetry;

/// <summary>The real worker host on a loopback port (or its two listeners) with the embedded store; sources hand over to a recording double.</summary>
public sealed class RunningWorker : IAsyncDisposable
{
    private readonly TempDirectory _dir;

    private RunningWorker(WebApplication app, TempDirectory dir)
    {
        App = app;
        _dir = dir;
        Http = new HttpClient { BaseAddress = app.Urls.Count == 1 ? new Uri(app.Urls.Single()) : Listener(WorkerListeners.Notifications) };
    }

    public WebApplication App { get; }

    /// <summary>The only listener's address, or the notifications listener's when Worker:Listeners is set.</summary>
    public HttpClient Http { get; }

    /// <summary>A listener's address when the test set Worker:Listeners (then "urls" is not used).</summary>
    public Uri Listener(string name) => App.Services.GetRequiredService<BoundListeners>().Address(name);

    public static async Task<RunningWorker> StartAsync(params string[] settings)
    {
        var dir = new TempDirectory();
        // The job runner stays paused (kill switch engaged), so queued jobs stay queued while a test counts them.
        File.WriteAllText(dir.File("paused"), "");
        var app = WorkerHost.Build(
            ["--urls=http://127.0.0.1:0", $"--JobStore:SqlitePath={dir.File("jobs.db")}", $"--Pipeline:KillSwitchFile={dir.File("paused")}",
             $"--InferenceNode:Address=http://127.0.0.1:{ClosedPort.Next()}", "--InferenceNode:CallTimeout=00:00:02", .. settings],
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Services.AddSingleton<IStudySubmitter, Sources.RecordingStudySubmitter>();
            });
        await app.StartAsync();
        return new RunningWorker(app, dir);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
