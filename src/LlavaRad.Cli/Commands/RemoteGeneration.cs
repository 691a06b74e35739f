using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Model.Preprocessing;
using ModelGeneration = LlavaRad.Model.Generation;

namespace LlavaRad.Cli;

/// <summary>`llavarad generate --node URL`: the same request, answered by a running inference node over gRPC.</summary>
public static class RemoteGeneration
{
    public static async Task<int> RunAsync(Uri address, PixelImage image, string? indication, string priority,
        ModelGeneration.GenerationOptions generation, bool json, CliConsole console, CancellationToken cancellationToken)
    {
        var (stdout, stderr) = (console.Out, console.Err);
        var request = new GenerateRequest
        {
            RequestId = Guid.NewGuid().ToString("N"),
            Priority = priority switch
            {
                "urgent" => Priority.Urgent,
                "stat" => Priority.Stat,
                _ => Priority.Routine,
            },
            Images = { new Image { Raw = new RawGrayImage { Width = (uint)image.Width, Height = (uint)image.Height, Pixels = ByteString.CopyFrom(Gray(image, stderr)) } } },
            Indication = indication ?? "",
            Options = new GenerationOptions
            {
                MaxNewTokens = (uint)generation.MaxNewTokens, Temperature = (float)generation.Temperature, TopP = (float)generation.TopP,
                Seed = generation.Seed, Stop = { generation.StopStrings },
            },
        };
        using var client = new InferenceNodeClient(new InferenceNodeClientOptions { Address = address });
        GenerateResponse response;
        try
        {
            await stderr.WriteLineAsync($"asking {address} (at most {generation.MaxNewTokens} tokens)");
            response = await client.GenerateAsync(request, cancellationToken);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CommandFailedException($"inference node {address} answered {e.StatusCode}: {e.Status.Detail}");
        }
        if (json) await stdout.WriteLineAsync(ToJson(response).ToJsonString());
        else await stdout.WriteLineAsync(response.Text);
        await stderr.WriteLineAsync($"{response.TokenIds.Count} tokens, finish {response.FinishReason}, queue {response.Timings.Queue.ToTimeSpan().TotalMilliseconds:F0} ms, " +
            $"prefill {response.Timings.Prefill.ToTimeSpan().TotalMilliseconds:F0} ms, decode {response.Timings.Decode.ToTimeSpan().TotalMilliseconds:F0} ms");
        return CliApp.Ok;
    }

    /// <summary>The node takes 8-bit grayscale; a colour file is converted with ITU-R BT.601 luma weights.</summary>
    public static byte[] Gray(PixelImage image, TextWriter stderr)
    {
        if (image.Channels == 1) return image.Pixels;
        stderr.WriteLine("note: colour image converted to grayscale (BT.601) for the node");
        var gray = new byte[image.Width * image.Height];
        for (var i = 0; i < gray.Length; i++)
            gray[i] = (byte)Bt601.Luma(image.Pixels[3 * i], image.Pixels[3 * i + 1], image.Pixels[3 * i + 2]);
        return gray;
    }

    private static JsonObject ToJson(GenerateResponse response) => new()
    {
        ["text"] = response.Text,
        ["token_ids"] = new JsonArray(response.TokenIds.Select(id => (JsonNode)id).ToArray()),
        ["logprobs"] = new JsonArray(response.TokenLogprobs.Select(p => (JsonNode)p).ToArray()),
        ["finish_reason"] = response.FinishReason.ToString().Replace("FinishReason", "", StringComparison.Ordinal).ToLowerInvariant(),
        ["timings"] = new JsonObject
        {
            ["queue_ms"] = response.Timings.Queue.ToTimeSpan().TotalMilliseconds,
            ["vision_ms"] = response.Timings.Vision.ToTimeSpan().TotalMilliseconds,
            ["prefill_ms"] = response.Timings.Prefill.ToTimeSpan().TotalMilliseconds,
            ["decode_ms"] = response.Timings.Decode.ToTimeSpan().TotalMilliseconds,
        },
        ["model"] = new JsonObject
        {
            ["model_id"] = response.Model.ModelId,
            ["model_version"] = response.Model.ModelVersion,
            ["weights_sha256"] = response.Model.WeightsSha256,
        },
    };
}
