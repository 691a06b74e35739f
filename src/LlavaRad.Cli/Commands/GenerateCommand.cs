using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlavaRad.Model;
using LlavaRad.Model.Generation;
using LlavaRad.Model.Preprocessing;

namespace LlavaRad.Cli;

/// <summary>`llavarad generate`: one image (+ indication) through the model; text on stdout, or one JSON object.</summary>
public sealed class GenerateCommand : ICliCommand
{
    public Command Create(CliConsole console)
    {
        var modelOption = CliOptions.Text("--model", "DIR", "a model directory to run here");
        var nodeOption = CliOptions.NodeUrl(required: false, "a running inference node to ask instead");
        var imageOption = CliOptions.Text("--image", "FILE", "a DICOM, PNG or JPEG file", required: true);
        var indicationOption = CliOptions.Text("--indication", "TEXT", "the clinical indication");
        var priorityOption = CliOptions.OneOf("--priority", "the request's priority (with --node)", "routine", "routine", "urgent", "stat");
        var maxNewTokens = CliOptions.Whole("--max-new-tokens", "at most this many tokens", 256, minimum: 0);
        var temperature = CliOptions.Number("--temperature", "T", "sampling temperature; 0 is greedy (default)");
        var topP = CliOptions.Number("--top-p", "P", "nucleus sampling mass (default 1.0)");
        var seedOption = CliOptions.Whole("--seed", "the sampling seed", 0, minimum: 0);
        var stop = CliOptions.Text("--stop", "TEXT", "stop when this text is generated");
        var device = CliOptions.Text("--device", "auto|cpu|cuda", "where to run --model", "auto");
        var threads = CliOptions.Whole("--threads", "CPU threads for --model (0: libtorch's default, the physical cores)", 0, minimum: 0);
        var json = CliOptions.Flag("--json", "print one JSON object (text, token ids, logprobs, timings) instead of streamed text");
        var command = new Command("generate", "draft findings for one image")
            .With(modelOption, nodeOption, imageOption, indicationOption, priorityOption, maxNewTokens, temperature, topP, seedOption, stop, device, threads, json);
        command.Validators.Add(result =>
        {
            if ((result.GetResult(modelOption) is null) == (result.GetResult(nodeOption) is null))
                result.AddError("give either --model DIR (run here) or --node URL (ask a running node)");
        });
        VerbAction.Set(command, console, async (parse, cancellationToken) =>
        {
            var generation = new GenerationOptions
            {
                MaxNewTokens = parse.GetValue(maxNewTokens),
                Temperature = parse.GetValue(temperature) ?? 0,
                TopP = parse.GetValue(topP) ?? 1.0,
                Seed = (ulong)parse.GetValue(seedOption),
                StopStrings = parse.GetValue(stop) is { } text ? [text] : [],
            };
            try { generation.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }

            var imagePath = parse.GetRequiredValue(imageOption);
            var image = ImageFileReader.Read(imagePath);
            var asJson = parse.GetValue(json);
            if (parse.GetValue(nodeOption) is { } node)
                return await RemoteGeneration.RunAsync(node, image, parse.GetValue(indicationOption), parse.GetRequiredValue(priorityOption),
                    generation, asJson, console, cancellationToken);
            if (parse.GetValue(threads) is > 0 and var count) TorchSharp.torch.set_num_threads(count);
            return await RunLocallyAsync(parse.GetRequiredValue(modelOption), parse.GetRequiredValue(device), imagePath, image,
                parse.GetValue(indicationOption), generation, asJson, console, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunLocallyAsync(string modelPath, string device, string imagePath, PixelImage image, string? indication,
        GenerationOptions generation, bool json, CliConsole console, CancellationToken cancellationToken)
    {
        await console.Err.WriteLineAsync($"loading model {modelPath}");
        FindingsModel model;
        try
        {
            model = FindingsModel.Load(modelPath, TorchDevice.Resolve(device));
        }
        catch (InvalidModelException e)
        {
            throw new CommandFailedException($"model {modelPath} cannot be used ({e.Code}): {e.Message}");
        }
        using (model)
        {
            await console.Err.WriteLineAsync($"generating (at most {generation.MaxNewTokens} tokens)");
            GenerationResult result;
            try
            {
                // Plain mode streams the text as it is decoded; --json prints once at the end.
                result = model.Generate(image, indication, generation,
                    json ? null : token => console.Out.Write(token.TextDelta), cancellationToken);
            }
            catch (ArgumentException e)
            {
                throw new CommandFailedException($"{imagePath}: {e.Message}");
            }
            if (json) await console.Out.WriteLineAsync(ToJson(result, model).ToJsonString(JsonOptions));
            else await console.Out.WriteLineAsync();
            await console.Err.WriteLineAsync($"{result.TokenIds.Count} tokens, finish {FinishName(result.FinishReason)}, " +
                $"{result.Timings.DecodeTokensPerSecond(result.TokenIds.Count):F1} tokens/s decode");
        }
        return CliApp.Ok;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string FinishName(FinishReason reason) => reason.ToString().ToLowerInvariant();

    private static JsonObject ToJson(GenerationResult result, FindingsModel model) => new()
    {
        ["text"] = result.Text,
        ["token_ids"] = new JsonArray(result.TokenIds.Select(id => (JsonNode)id).ToArray()),
        ["logprobs"] = new JsonArray(result.Logprobs.Select(p => (JsonNode)p).ToArray()),
        ["finish_reason"] = FinishName(result.FinishReason),
        ["prompt_positions"] = result.PromptLength,
        ["timings"] = new JsonObject
        {
            ["vision_ms"] = result.Timings.Vision.TotalMilliseconds,
            ["prefill_ms"] = result.Timings.Prefill.TotalMilliseconds,
            ["decode_ms"] = result.Timings.Decode.TotalMilliseconds,
            ["decode_tokens_per_s"] = result.Timings.DecodeTokensPerSecond(result.TokenIds.Count),
        },
        ["model"] = new JsonObject
        {
            ["model_id"] = model.Directory.Config.ModelId,
            ["model_version"] = model.Directory.Config.ModelVersion,
            ["device"] = model.Model.Device.ToString(),
            ["dtype"] = model.Model.Dtype.ToString(),
        },
    };
}
