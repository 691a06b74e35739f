using LlavaRad.Contracts;

namespace LlavaRad.Cli;

public sealed class ModelInfoCommand : ICliCommand
{
    public string Name => "model-info";
    public string Usage => "--node URL   ask an inference node which model it serves";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = CommandOptions.Parse(args);
        var node = options.Require("node");
        if (!Uri.TryCreate(node, UriKind.Absolute, out var address))
            throw new UsageException($"--node \"{node}\" is not an absolute URL");
        using var client = new InferenceNodeClient(new InferenceNodeClientOptions { Address = address });
        try
        {
            var info = await client.GetModelInfoAsync(cancellationToken);
            await stdout.WriteLineAsync(info.ToString());
            return CliApp.Ok;
        }
        catch (Grpc.Core.RpcException e)
        {
            throw new CommandFailedException($"inference node {address} answered {e.StatusCode}: {e.Status.Detail}");
        }
    }
}
