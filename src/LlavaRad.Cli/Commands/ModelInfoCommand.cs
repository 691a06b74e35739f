using System.CommandLine;
using LlavaRad.Contracts;

namespace LlavaRad.Cli;

/// <summary>`llavarad model-info --node URL`: which model a running inference node serves.</summary>
public sealed class ModelInfoCommand : ICliCommand
{
    public Command Create(CliConsole console)
    {
        var node = CliOptions.NodeUrl(required: true);
        var command = new Command("model-info", "ask an inference node which model it serves").With(node);
        VerbAction.Set(command, console, async (parse, cancellationToken) =>
        {
            var address = parse.GetRequiredValue(node);
            using var client = new InferenceNodeClient(new InferenceNodeClientOptions { Address = address });
            try
            {
                var info = await client.GetModelInfoAsync(cancellationToken);
                await console.Out.WriteLineAsync(info.ToString());
                return CliApp.Ok;
            }
            catch (Grpc.Core.RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CommandFailedException($"inference node {address} answered {e.StatusCode}: {e.Status.Detail}");
            }
        });
        return command;
    }
}
