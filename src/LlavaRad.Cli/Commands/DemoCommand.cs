using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Net.Client;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Findings;
using LlavaRad.Inference;
using LlavaRad.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace LlavaRad.Cli;

/// <summary>
/// The embedded default: the built-in tiny model served by a real inference node on loopback, every sample study
/// through selection, conversion, generation, labelling and triage, and a local summary. No FHIR write-back or
/// job store yet (worker issue).
/// </summary>
public sealed class DemoCommand : ICliCommand
{
    public const string SummaryFile = "demo-summary.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Name => "demo";
    public string Usage => "[--studies DIR] [--out DIR] [--model DIR]   run the embedded default over the sample studies";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = CommandOptions.Parse(args);
        var studiesRoot = SampleStudies.Locate(options.Get("studies"));
        var outDir = Path.GetFullPath(options.Get("out") ?? "demo-output");
        var model = DemoModel.Choose(options.Get("model"), outDir);
        var modelDir = model.Directory;

        await stdout.WriteLineAsync($"[1/4] {model.Description}");

        await stdout.WriteLineAsync("[2/4] starting the inference node on 127.0.0.1");
        await using var node = InferenceNode.Build(
            ["--urls=http://127.0.0.1:0", $"--Inference:ModelDirectory={modelDir}", "--Inference:Device=cpu"],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await node.StartAsync(cancellationToken);
        var address = new Uri(node.Urls.First());

        await stdout.WriteLineAsync($"[3/4] waiting for SERVING on {address}");
        using var client = new InferenceNodeClient(new InferenceNodeClientOptions { Address = address });
        if (!await client.WaitUntilServingAsync(TimeSpan.FromSeconds(60), cancellationToken))
            throw new CommandFailedException($"the inference node on {address} did not become SERVING within 60 s");
        var info = await client.GetModelInfoAsync(cancellationToken);
        await stdout.WriteLineAsync($"      model {info.Identity.ModelId} {info.Identity.ModelVersion} on {info.Device}, weights sha256 {info.Identity.WeightsSha256[..16]}…");

        await stdout.WriteLineAsync($"[4/4] drafting the sample studies in {studiesRoot}");
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxSendMessageSize = 32 << 20 });
        var study = new DemoStudy(new ReportGenerator.ReportGeneratorClient(channel), new FindingsTriage());
        var indications = SampleStudies.Indications(studiesRoot);
        var results = new JsonArray();
        foreach (var folder in SampleStudies.StudyFolders(studiesRoot))
        {
            var name = Path.GetRelativePath(studiesRoot, folder);
            var result = await study.RunAsync(folder, indications.GetValueOrDefault(name), cancellationToken);
            result["folder"] = name;
            results.Add(result);
            await stdout.WriteLineAsync($"      {name}: {result["outcome"]}"
                + (result["draft"] is JsonObject draft ? $", urgency {draft["urgency"]} ({draft["urgency_rule"]}), {draft["tokens"]} tokens" : ""));
        }

        var summaryPath = Path.Combine(outDir, SummaryFile);
        await File.WriteAllTextAsync(summaryPath, Summary(info, address, results).ToJsonString(Json), cancellationToken);
        await stdout.WriteLineAsync($"wrote {summaryPath}");
        await stdout.WriteLineAsync(model.Trained
            ? "note: a tiny model trained on synthetic radiographs; its findings follow the image but it is no clinical model."
            : "note: the built-in model has random weights, so its text is not meaningful until it is trained.");
        await node.StopAsync(cancellationToken);
        return CliApp.Ok;
    }

    private static JsonObject Summary(ModelInfo info, Uri address, JsonArray studies) => new()
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
        ["studies"] = studies,
        ["label"] = "AI-generated DRAFT, not reviewed: tiny demo model",
    };
}
