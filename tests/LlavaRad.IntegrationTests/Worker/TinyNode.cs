using LlavaRad.Inference;
using LlavaRad.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace LlavaRad.IntegrationTests.Worker;

/// <summary>Our real inference node, in-process on a loopback port, serving the tiny random-weight model.</summary>
public sealed class TinyNode : IAsyncDisposable
{
    private readonly TempDirectory _model = new();
    private WebApplication? _node;

    public Uri Address { get; private set; } = new("http://127.0.0.1:1");

    public async Task StartAsync(int port = 0)
    {
        if (!File.Exists(_model.File("config.json"))) TinyModelWriter.Write(_model.Path, TinyModelWriter.DefaultConfig, seed: 11);
        _node = InferenceNode.Build([$"--urls=http://127.0.0.1:{port}", $"--Inference:ModelDirectory={_model.Path}", "--Inference:Device=cpu"],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await _node.StartAsync();
        Address = new Uri(_node.Urls.First());
    }

    public async Task StopAsync()
    {
        if (_node is null) return;
        await _node.StopAsync();
        await _node.DisposeAsync();
        _node = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _model.Dispose();
    }
}
