using System.CommandLine;
using LlavaRad.Inference;
using LlavaRad.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace LlavaRad.Cli;

/// <summary>`llavarad serve`: runs an inference node in this process until Ctrl+C / SIGTERM (graceful drain).</summary>
public sealed class ServeCommand : ICliCommand
{
    public Command Create(CliConsole console)
    {
        var modelOption = CliOptions.Text("--model", "DIR", "the model directory to serve", required: true);
        var urls = CliOptions.Text("--urls", "URL[;URL]", "where to listen", "http://127.0.0.1:50051");
        var device = CliOptions.OneOf("--device", "where to run the model", "auto", "auto", "cpu", "cuda");
        var observability = CliOptions.Text("--observability", "URL", "where to send traces and metrics (OTLP)");
        var maxBatchSize = CliOptions.OptionalWhole("--max-batch-size", "the continuous batcher's largest batch");
        var shutdownGrace = CliOptions.OptionalWhole("--shutdown-grace", "seconds to finish running requests after SIGTERM");
        var command = new Command("serve", "run an inference node (gRPC) on a model directory")
            .With(modelOption, urls, device, observability, maxBatchSize, shutdownGrace);
        VerbAction.Set(command, console, async (parse, cancellationToken) =>
        {
            var modelPath = Path.GetFullPath(parse.GetRequiredValue(modelOption));
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
                $"--urls={parse.GetRequiredValue(urls)}",
                $"--Inference:ModelDirectory={modelPath}",
                $"--Inference:Device={parse.GetRequiredValue(device)}",
            ];
            if (parse.GetValue(observability) is { } url) nodeArgs.Add($"--Inference:ObservabilityUrl={url}");
            if (parse.GetValue(maxBatchSize) is { } batch) nodeArgs.Add($"--Inference:Batching:MaxBatchSize={batch}");
            if (parse.GetValue(shutdownGrace) is { } grace) nodeArgs.Add($"--Inference:ShutdownGrace={TimeSpan.FromSeconds(grace)}");

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
                await console.Err.WriteLineAsync($"serving {modelPath} on {string.Join(", ", node.Urls)} (NOT_SERVING until loaded and warm; Ctrl+C stops gracefully)");
                // Ctrl+C / SIGTERM cancel the token: the node drains and stops, and the verb ends with 0.
                await node.WaitForShutdownAsync(cancellationToken);
            }
            return CliApp.Ok;
        });
        return command;
    }
}
