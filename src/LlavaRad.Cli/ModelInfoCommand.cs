using LlavaRad.Contracts;

namespace LlavaRad.Cli;

public static class ModelInfoCommand
{
    public static async Task<int> RunAsync(CommandOptions options, TextWriter stdout, CancellationToken cancellationToken)
    {
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
