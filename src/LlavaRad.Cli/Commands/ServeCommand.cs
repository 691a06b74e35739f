using LlavaRad.Inference;
using LlavaRad.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace LlavaRad.Cli;

/// <summary>`llavarad serve`: runs an inference node in this process until Ctrl+C / SIGTERM (graceful drain).</summary>
public sealed class ServeCommand : ICliCommand
{
    public string Name => "serve";
    public string Usage =>
        "--model DIR [--urls URL[;URL]] [--device auto|cpu|cuda] [--observability URL] [--max-batch-size N] [--shutdown-grace SECONDS]   run an inference node (gRPC) on a model directory";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = CommandOptions.Parse(args);
        var modelPath = Path.GetFullPath(options.Require("model"));
        try
        {
            ModelDirectory.Open(modelPath); // a wrong path fails here, not as a node stuck in NOT_SERVING
        }
        catch (InvalidModelException e)
        {
            throw new CommandFailedException($"model {modelPath} cannot be served ({e.Code}): {e.Message}");
        }
        List<string> nodeArgs =
        [
            $"--urls={options.Get("urls") ?? "http://127.0.0.1:50051"}",
            $"--Inference:ModelDirectory={modelPath}",
            $"--Inference:Device={options.Get("device") ?? "auto"}",
        ];
        if (options.Get("observability") is { } observability) nodeArgs.Add($"--Inference:ObservabilityUrl={observability}");
        if (options.Get("max-batch-size") is { } batch) nodeArgs.Add($"--Inference:Batching:MaxBatchSize={PositiveInt(batch, "max-batch-size")}");
        if (options.Get("shutdown-grace") is { } grace) nodeArgs.Add($"--Inference:ShutdownGrace={TimeSpan.FromSeconds(PositiveInt(grace, "shutdown-grace"))}");

        WebApplication node;
        try
        {
            node = InferenceNode.Build([.. nodeArgs]);
            await node.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            throw new CommandFailedException($"the node could not start: {e.Message}");
        }
        await using (node)
        {
            await stderr.WriteLineAsync($"serving {modelPath} on {string.Join(", ", node.Urls)} (NOT_SERVING until loaded and warm; Ctrl+C stops gracefully)");
            await node.WaitForShutdownAsync(cancellationToken);
        }
        return CliApp.Ok;
    }

    private static int PositiveInt(string text, string name) =>
        int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v : throw new UsageException($"--{name} \"{text}\" is not a non-negative whole number");
}
