using System.Diagnostics;
using LlavaRad.Contracts;
using LlavaRad.Model;
using LlavaRad.Worker.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlavaRad.IntegrationTests;

/// <summary>The built inference node executable, run as its own process, as a worker would meet it.</summary>
public class InferenceNodeProcessTests
{
    [Fact]
    public async Task WorkerSeesTheNodeProcessHealthyAndReadsItsModel()
    {
        using var model = new TempDirectory();
        TinyModelWriter.Write(model.Path, TinyModelWriter.DefaultConfig, seed: 5);
        var port = ClosedPort.Next();
        var log = new System.Text.StringBuilder();
        using var node = StartNode(model.Path, port, log);
        using var client = new InferenceNodeClient(new InferenceNodeClientOptions { Address = new Uri($"http://127.0.0.1:{port}") });
        try
        {
            Assert.True(await client.WaitUntilServingAsync(TimeSpan.FromSeconds(60)), $"node never became SERVING:\n{log.Read()}");
            var health = await new InferenceNodeHealthCheck(client).CheckHealthAsync(new HealthCheckContext());
            var info = await client.GetModelInfoAsync();

            Assert.Equal(HealthStatus.Healthy, health.Status);
            Assert.Equal(ExternalTool.Sha256Sum(model.File("model.safetensors")), info.Identity.WeightsSha256);
            Assert.All(LoopbackSocketsFor(port), address => Assert.True(LoopbackSockets.IsLoopback(address)));
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
        }
    }

    private static IReadOnlyList<string> LoopbackSocketsFor(int port)
    {
        var listeners = LoopbackSockets.ListeningAddresses(port);
        Assert.NotEmpty(listeners);
        return listeners;
    }

    internal static Process StartNode(string modelDirectory, int port, System.Text.StringBuilder log)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var dll = Path.Combine(ExternalTool.RepoRoot(), "src", "LlavaRad.Inference", "bin", configuration, "net10.0", "LlavaRad.Inference.dll");
        Assert.True(File.Exists(dll), $"build the solution first: {dll} is missing");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { dll, $"--urls=http://127.0.0.1:{port}", $"--Inference:ModelDirectory={modelDirectory}", "--Inference:Device=cpu" })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
