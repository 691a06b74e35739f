using Microsoft.Extensions.Options;

namespace LlavaRad.Inference;

/// <summary>
/// On shutdown, before the server stops: health turns NOT_SERVING and new calls get UNAVAILABLE (so clients move to
/// another node), accepted requests get <see cref="InferenceNodeOptions.ShutdownGrace"/> to finish, then the rest
/// are cut off with UNAVAILABLE (retryable elsewhere) rather than left to the transport's abort.
/// </summary>
public sealed partial class GracefulShutdownService(
    ModelHost host, GenerationScheduler scheduler, IOptions<InferenceNodeOptions> options, ILogger<GracefulShutdownService> logger)
    : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        host.SetStopping();
        scheduler.StopAccepting();
        if (scheduler.Batcher is not { } batcher) return;
        var waiting = batcher.Waiting + batcher.InFlight;
        var drained = await batcher.DrainAsync(options.Value.ShutdownGrace, cancellationToken);
        LogDrained(waiting, drained ? "all finished" : "grace period over, the rest were cut off");
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        scheduler.Batcher?.Dispose();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down with {Requests} requests accepted: {Outcome}")]
    private partial void LogDrained(int requests, string outcome);
}
