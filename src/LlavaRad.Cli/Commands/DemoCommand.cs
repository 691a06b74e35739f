using System.Text.Json;
using System.Text.Json.Nodes;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Inference;
using LlavaRad.Model;
using LlavaRad.Worker;
using LlavaRad.Worker.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlavaRad.Cli;

/// <summary>
/// The embedded default: the worker itself (SQLite job store in the output folder, the watched-folder source over
/// the sample studies, the job runner, the local bundle writer) with the built-in tiny model in an in-process
/// inference node. `--node URL` uses a running node instead; `--fhir URL` resolves studies on that FHIR server and
/// writes the drafts of the studies it knows there.
/// </summary>
public sealed class DemoCommand : ICliCommand
{
    public const string SummaryFile = "demo-summary.json";
    public const string DraftFolder = "drafts";
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(15);
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Name => "demo";
    public string Usage => "[--studies DIR] [--out DIR] [--model DIR] [--node URL] [--fhir URL] [--concurrency N]   run the worker's embedded default over the sample studies";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = CommandOptions.Parse(args);
        var studiesRoot = Path.GetFullPath(SampleStudies.Locate(options.Get("studies")));
        var outDir = Path.GetFullPath(options.Get("out") ?? "demo-output");
        var expected = SampleStudies.StudyFolders(studiesRoot).Count;
        ResetWorkerState(outDir);

        var model = options.Get("node") is null ? DemoModel.Choose(options.Get("model"), outDir) : null;
        await using var node = model is not null ? await StartNodeAsync(model, stdout, cancellationToken) : null;
        var address = node is not null ? new Uri(node.Urls.First()) : new Uri(options.Require("node"));
        using var client = new InferenceNodeClient(new InferenceNodeClientOptions { Address = address });
        await stdout.WriteLineAsync($"[2/4] waiting for the inference node on {address}");
        if (!await client.WaitUntilServingAsync(TimeSpan.FromSeconds(60), cancellationToken))
            throw new CommandFailedException($"the inference node on {address} did not become SERVING within 60 s");
        var info = await client.GetModelInfoAsync(cancellationToken);
        await stdout.WriteLineAsync($"      model {info.Identity.ModelId} {info.Identity.ModelVersion} on {info.Device}, weights sha256 {info.Identity.WeightsSha256[..16]}…");

        var fhir = options.Get("fhir");
        await stdout.WriteLineAsync($"[3/4] starting the worker: SQLite job store, folder source over {studiesRoot}, "
            + (fhir is null ? $"drafts to {Path.Combine(outDir, DraftFolder)}" : $"FHIR at {fhir}"));
        var progress = new DemoProgress(studiesRoot, expected, stdout);
        await using var worker = WorkerHost.Build(WorkerArguments(outDir, studiesRoot, address, fhir, options.Get("concurrency") ?? "2"), builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton<IJobOutcomeObserver>(progress);
        });
        await worker.StartAsync(cancellationToken);

        await stdout.WriteLineAsync($"[4/4] drafting {expected} studies");
        var finished = await Task.WhenAny(progress.AllDone, Task.Delay(RunLimit, cancellationToken));
        await worker.StopAsync(CancellationToken.None);
        if (finished != progress.AllDone)
            throw new CommandFailedException($"only {progress.Rows.Count} of {expected} studies finished within {RunLimit.TotalMinutes} min; see {outDir}");

        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync(DemoTable.Render(progress.Rows));
        var summaryPath = Path.Combine(outDir, SummaryFile);
        await File.WriteAllTextAsync(summaryPath, Summary(info, address, progress.Rows).ToJsonString(Json), cancellationToken);
        await stdout.WriteLineAsync($"wrote {summaryPath}, the FHIR transaction bundles in {Path.Combine(outDir, DraftFolder)}, the SRs in {Path.Combine(outDir, "sr")} and the ORU^R01 messages in {Path.Combine(outDir, "hl7")}");
        await stdout.WriteLineAsync(model is { Trained: false }
            ? "note: the built-in model has random weights, so its text is not meaningful."
            : "note: a tiny model trained on synthetic radiographs; its findings follow the image, but it is no clinical model.");
        return CliApp.Ok;
    }

    private static async Task<WebApplication> StartNodeAsync(DemoModel.Choice model, TextWriter stdout, CancellationToken cancellationToken)
    {
        var modelDir = model.Directory;
        await stdout.WriteLineAsync($"[1/4] {model.Description}; starting an in-process inference node on 127.0.0.1");
        var node = InferenceNode.Build(
            ["--urls=http://127.0.0.1:0", $"--Inference:ModelDirectory={modelDir}", "--Inference:Device=cpu"],
            // "Unhealthy: model loading" while the demo waits for SERVING is expected, not an error to show.
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning)
                .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        await node.StartAsync(cancellationToken);
        return node;
    }

    /// <summary>Each demo starts from an empty job store and draft folder, so every study is drafted again.</summary>
    private static void ResetWorkerState(string outDir)
    {
        Directory.CreateDirectory(outDir);
        foreach (var file in new[] { "jobs.db", "jobs.db-wal", "jobs.db-shm" })
            File.Delete(Path.Combine(outDir, file));
        foreach (var folder in new[] { DraftFolder, "sr", "hl7" })
            if (Directory.Exists(Path.Combine(outDir, folder))) Directory.Delete(Path.Combine(outDir, folder), recursive: true);
    }

    private static string[] WorkerArguments(string outDir, string studiesRoot, Uri node, string? fhir, string concurrency)
    {
        List<string> args =
        [
            "--urls=http://127.0.0.1:0",
            "--JobStore:Provider=sqlite",
            $"--JobStore:SqlitePath={Path.Combine(outDir, "jobs.db")}",
            "--JobStore:MaxAttempts=3",
            "--JobStore:FirstRetryDelay=00:00:02",
            $"--InferenceNode:Address={node}",
            "--InferenceNode:CallTimeout=00:05:00",
            $"--Pipeline:DraftFolder={Path.Combine(outDir, DraftFolder)}",
            $"--Pipeline:Concurrency={concurrency}",
            "--Pipeline:IdlePollInterval=00:00:00.200",
            "--Pipeline:MaxNewTokens=48",
            $"--FolderSource:Path={studiesRoot}",
            "--FolderSource:StableAfter=00:00:00",
            "--FolderSource:ScanInterval=00:00:01",
            $"--Audit:FilePath={Path.Combine(outDir, "audit", "audit-events.jsonl")}",
            $"--Exports:Folder={outDir}", // sr/*.dcm and hl7/*.hl7 beside the bundles
        ];
        if (fhir is not null) args.Add($"--Fhir:BaseUrl={fhir}");
        return [.. args];
    }

    private static JsonObject Summary(ModelInfo info, Uri address, IReadOnlyList<DemoStudy> rows) => new()
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
        ["studies"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
        {
            ["folder"] = r.Study,
            ["outcome"] = r.Outcome,
            ["selected_image"] = r.Image,
            ["priority"] = r.Priority,
            ["draft"] = r.Draft,
            ["seconds"] = Math.Round(r.Elapsed.TotalSeconds, 3),
        }).ToArray()),
        ["label"] = "AI-generated DRAFT, not reviewed: tiny demo model",
    };
}
