using System.Collections.Concurrent;
using LlavaRad.Worker;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;
using LlavaRad.Worker.Tests.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlavaRad.IntegrationTests.Sources;

/// <summary>
/// The real worker host (WorkerHost.Build, so the sources' wiring is what runs in production) on 127.0.0.1,
/// with the embedded SQLite store, every log line recorded, and the recording double behind IStudySubmitter.
/// </summary>
public sealed class WorkerUnderTest : IAsyncDisposable
{
    private WorkerUnderTest(WebApplication app, RecordingStudySubmitter submitter, LogRecorder logs)
    {
        App = app;
        Submitter = submitter;
        Logs = logs;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
    }

    public WebApplication App { get; }
    public RecordingStudySubmitter Submitter { get; }
    public LogRecorder Logs { get; }
    public HttpClient Http { get; }

    public static async Task<WorkerUnderTest> StartAsync(string sqlitePath, params string[] settings)
    {
        var submitter = new RecordingStudySubmitter();
        var logs = new LogRecorder();
        var app = WorkerHost.Build(
            ["--urls=http://127.0.0.1:0", $"--JobStore:SqlitePath={sqlitePath}",
             $"--InferenceNode:Address=http://127.0.0.1:{ClosedPort.Next()}", "--InferenceNode:CallTimeout=00:00:02",
             "--Sources:Retry:FirstDelay=00:00:00.200", "--Sources:Retry:MaxDelay=00:00:01", .. settings],
            builder =>
            {
                builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
                builder.Services.AddSingleton<IStudySubmitter>(submitter);
            });
        await app.StartAsync();
        return new WorkerUnderTest(app, submitter, logs);
    }

    public Task<string?> CursorAsync(string name) => App.Services.GetRequiredService<SqlCursorStore>().LoadTextAsync(name, CancellationToken.None);

    public async Task<string> ScrapeMetricsAsync()
    {
        using var response = await Http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public static async Task WaitUntil(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(seconds); !await condition(); await Task.Delay(100))
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {seconds} s");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}

/// <summary>Every log line the worker wrote: the message, its structured values and any exception text.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogRecorder recorder, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            recorder._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
