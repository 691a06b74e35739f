using LlavaRad.Contracts;
using LlavaRad.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace LlavaRad.Inference.Tests;

/// <summary>The real inference node, in this process, listening on a free 127.0.0.1 port over HTTP/2.</summary>
public sealed class RunningNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private TempDirectory? _ownedModel;

    private RunningNode(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new InferenceNodeClient(new InferenceNodeClientOptions { Address = address, MaxAttempts = 1 });
    }

    public Uri Address { get; }
    public WebApplication App => _app;
    public InferenceNodeClient Client { get; }

    /// <summary>Writes the tiny model (seed 11), starts a node on it and waits until it reports SERVING.</summary>
    public static async Task<RunningNode> StartServingTinyModelAsync(params string[] extraArgs)
    {
        var model = new TempDirectory();
        TinyModelWriter.Write(model.Path, TinyModelWriter.DefaultConfig, seed: 11);
        var node = await StartAsync(model.Path, "http", extraArgs);
        node._ownedModel = model;
        Assert.True(await node.Client.WaitUntilServingAsync(TimeSpan.FromSeconds(30)), "node never became SERVING");
        return node;
    }

    /// <summary>Asks GetModelInfo until the node says its model failed to load (or a minute passes); returns that refusal.</summary>
    public async Task<NodeError> WaitForModelFailureAsync()
    {
        var client = new LlavaRad.Contracts.V1.ReportGenerator.ReportGeneratorClient(Grpc.Net.Client.GrpcChannel.ForAddress(Address));
        NodeError? refused = null;
        for (var i = 0; i < 600 && refused?.Reason != NodeErrorReasons.ModelFailed; i++)
        {
            refused = NodeError.From(await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () =>
                await client.GetModelInfoAsync(new LlavaRad.Contracts.V1.GetModelInfoRequest())));
            await Task.Delay(100);
        }
        Assert.Equal(NodeErrorReasons.ModelFailed, refused!.Reason);
        return refused;
    }

    public string ModelFile(string name) => Path.Combine(_ownedModel?.Path ?? "", name);

    public static Task<RunningNode> StartAsync(string modelDirectory, string scheme = "http", params string[] extraArgs) =>
        StartAsync(modelDirectory, scheme, logs: null, extraArgs);

    /// <summary>As above; <paramref name="logs"/>, when given, receives the node's warnings and errors too.</summary>
    public static async Task<RunningNode> StartAsync(string modelDirectory, string scheme, ILoggerProvider? logs, params string[] extraArgs)
    {
        var app = InferenceNode.Build(
            [$"--urls={scheme}://127.0.0.1:0", $"--Inference:ModelDirectory={modelDirectory}", "--Inference:Device=cpu", .. extraArgs],
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                if (logs is not null) builder.Logging.AddProvider(logs);
            });
        await app.StartAsync();
        // With an observability listener the app has two addresses; the gRPC one is the other.
        var observability = extraArgs.FirstOrDefault(a => a.StartsWith("--Inference:ObservabilityUrl=", StringComparison.Ordinal))?.Split('=', 2)[1];
        var observabilityPort = observability is null ? -1 : new Uri(observability).Port;
        return new RunningNode(app, app.Urls.Select(u => new Uri(u)).Single(u => u.Port != observabilityPort));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _ownedModel?.Dispose();
    }
}
