using System.Text.Json;
using System.Text.Json.Nodes;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Inference;
using LlavaRad.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace LlavaRad.Cli;

/// <summary>
/// The embedded default: a built-in tiny model served by a real inference node on loopback, over the sample studies,
/// with local output. Drafting the findings joins as the model, imaging and worker issues land.
/// </summary>
public sealed class DemoCommand : ICliCommand
{
    public string Name => "demo";
    public string Usage => "[--studies DIR] [--out DIR]   run the embedded default over the sample studies";

    public const string SummaryFile = "demo-summary.json";
    private const ulong TinyModelSeed = 20240315;

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = CommandOptions.Parse(args);
        var studiesRoot = SampleStudies.Locate(options.Get("studies"));
        var outDir = Path.GetFullPath(options.Get("out") ?? "demo-output");
        var modelDir = Path.Combine(outDir, "model");

        await stdout.WriteLineAsync($"[1/4] writing the built-in tiny model to {modelDir}");
        TinyModelWriter.Write(modelDir, TinyModelWriter.DefaultConfig, TinyModelSeed);

        await stdout.WriteLineAsync("[2/4] starting the inference node on 127.0.0.1");
        await using var node = InferenceNode.Build(
            ["--urls=http://127.0.0.1:0", $"--Inference:ModelDirectory={modelDir}", "--Inference:Device=cpu"],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await node.StartAsync(cancellationToken);
        var address = new Uri(node.Urls.First());

        await stdout.WriteLineAsync($"[3/4] waiting for SERVING on {address} and asking for the model");
        using var client = new InferenceNodeClient(new InferenceNodeClientOptions { Address = address });
        if (!await client.WaitUntilServingAsync(TimeSpan.FromSeconds(60), cancellationToken))
            throw new CommandFailedException($"the inference node on {address} did not become SERVING within 60 s");
        var info = await client.GetModelInfoAsync(cancellationToken);
        await stdout.WriteLineAsync($"      model {info.Identity.ModelId} {info.Identity.ModelVersion} on {info.Device}, weights sha256 {info.Identity.WeightsSha256[..16]}…");

        await stdout.WriteLineAsync($"[4/4] reading the sample studies in {studiesRoot}");
        var studies = SampleStudies.StudyFolders(studiesRoot);
        foreach (var study in studies)
            await stdout.WriteLineAsync($"      {Path.GetRelativePath(studiesRoot, study)}: {Directory.GetFiles(study, "*.dcm").Length} DICOM file(s)");

        var summaryPath = Path.Combine(outDir, SummaryFile);
        await File.WriteAllTextAsync(summaryPath, Summary(info, address, studiesRoot, studies).ToJsonString(Json), cancellationToken);
        await stdout.WriteLineAsync($"wrote {summaryPath}");
        await stdout.WriteLineAsync("drafts: not produced yet; generation, DICOM conversion and the worker pipeline are still being built.");
        await node.StopAsync(cancellationToken);
        return CliApp.Ok;
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private static JsonObject Summary(ModelInfo info, Uri address, string studiesRoot, IReadOnlyList<string> studies) => new()
    {
        ["node"] = address.ToString(),
        ["model"] = new JsonObject
        {
            ["model_id"] = info.Identity.ModelId,
            ["model_version"] = info.Identity.ModelVersion,
            ["weights_sha256"] = info.Identity.WeightsSha256,
            ["dtype"] = info.Dtype,
            ["device"] = info.Device,
            ["max_context"] = info.MaxContext,
            ["image_size"] = info.ImageSize,
            ["runtime"] = info.Runtime,
        },
        ["studies"] = new JsonArray(studies.Select(s => (JsonNode)new JsonObject
        {
            ["folder"] = Path.GetRelativePath(studiesRoot, s),
            ["dicom_files"] = Directory.GetFiles(s, "*.dcm").Length,
            ["draft"] = null,
        }).ToArray()),
        ["drafts_status"] = "not-implemented-yet",
    };
}
