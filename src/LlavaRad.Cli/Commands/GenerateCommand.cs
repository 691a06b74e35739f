using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlavaRad.Model;
using LlavaRad.Model.Generation;

namespace LlavaRad.Cli;

/// <summary>`llavarad generate`: one image (+ indication) through the model; text on stdout, or one JSON object.</summary>
public sealed class GenerateCommand : ICliCommand
{
    public string Name => "generate";
    public string Usage =>
        "(--model DIR | --node URL) --image FILE [--indication TEXT] [--priority routine|urgent|stat] [--max-new-tokens N] [--temperature T] [--top-p P] [--seed S] [--stop TEXT] [--device cpu|cuda] [--json]   draft findings for one image";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var json = args.Contains("--json");
        var options = CommandOptions.Parse(args.Where(a => a != "--json"));
        var imagePath = options.Require("image");
        var generation = new GenerationOptions
        {
            MaxNewTokens = ParseInt(options, "max-new-tokens") ?? 256,
            Temperature = ParseDouble(options, "temperature") ?? 0,
            TopP = ParseDouble(options, "top-p") ?? 1.0,
            Seed = (ulong)(ParseInt(options, "seed") ?? 0),
            StopStrings = options.Get("stop") is { } stop ? [stop] : [],
        };
        try { generation.Validate(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }

        var image = ImageFileReader.Read(imagePath);
        if (options.Get("node") is { } node)
        {
            if (options.Get("model") is not null) throw new UsageException("give either --model (run here) or --node (ask a running node), not both");
            return await RemoteGeneration.RunAsync(node, image, options.Get("indication"), options.Get("priority"), generation, json, stdout, stderr, cancellationToken);
        }
        var modelPath = options.Require("model");
        await stderr.WriteLineAsync($"loading model {modelPath}");
        FindingsModel model;
        try
        {
            model = FindingsModel.Load(modelPath, TorchDevice.Resolve(options.Get("device") ?? "auto"));
        }
        catch (InvalidModelException e)
        {
            throw new CommandFailedException($"model {modelPath} cannot be used ({e.Code}): {e.Message}");
        }
        using (model)
        {
            await stderr.WriteLineAsync($"generating (at most {generation.MaxNewTokens} tokens)");
            GenerationResult result;
            try
            {
                // Plain mode streams the text as it is decoded; --json prints once at the end.
                result = model.Generate(image, options.Get("indication"), generation,
                    json ? null : token => stdout.Write(token.TextDelta), cancellationToken);
            }
            catch (ArgumentException e)
            {
                throw new CommandFailedException($"{imagePath}: {e.Message}");
            }
            if (json) await stdout.WriteLineAsync(ToJson(result, model).ToJsonString(JsonOptions));
            else await stdout.WriteLineAsync();
            await stderr.WriteLineAsync($"{result.TokenIds.Count} tokens, finish {FinishName(result.FinishReason)}, " +
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

    private static int? ParseInt(CommandOptions options, string name) =>
        options.Get(name) is not { } text ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v
        : throw new UsageException($"--{name} \"{text}\" is not a non-negative whole number");

    private static double? ParseDouble(CommandOptions options, string name) =>
        options.Get(name) is not { } text ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
        : throw new UsageException($"--{name} \"{text}\" is not a number");
}
