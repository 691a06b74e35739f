using LlavaRad.Inference;
using LlavaRad.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace LlavaRad.IntegrationTests.Node;

/// <summary>Our real inference node, in this process, on a fixed 127.0.0.1 port so it can be stopped and started again there.</summary>
public sealed class LoopbackNode : IAsyncDisposable
{
    private WebApplication? _app;

    public LoopbackNode(string modelDirectory, int port)
    {
        ModelDirectory = modelDirectory;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public string ModelDirectory { get; }
    public Uri Address { get; }

    /// <summary>A tiny random model; the seed makes its weights (and so its weights_sha256) tell nodes apart.</summary>
    public static void WriteTinyModel(string directory, ulong seed) => TinyModelWriter.Write(directory, TinyModelWriter.DefaultConfig, seed);

    public async Task StartAsync()
    {
        _app = InferenceNode.Build(
            [$"--urls={Address}", $"--Inference:ModelDirectory={ModelDirectory}", "--Inference:Device=cpu", "--Inference:ShutdownGrace=00:00:05"],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await _app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
