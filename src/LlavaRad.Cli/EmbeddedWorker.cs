using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Inference;
using LlavaRad.Worker;
using LlavaRad.Worker.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlavaRad.Cli;

/// <summary>
/// The worker's embedded default, as `demo` and `report` run it: the worker itself (SQLite job store in the output
/// folder, the watched-folder source over a folder of studies, the job runner, the local bundle writer and the SR and
/// ORU exports) with an in-process inference node, or a running node with --node.
/// </summary>
public static class EmbeddedWorker
{
    public const string DraftFolder = "drafts";
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(15);

    /// <summary>What to run: <see cref="Node"/> null starts an in-process node on <see cref="Model"/>.</summary>
    public sealed record Settings(string StudiesRoot, string OutDir, int Concurrency, Uri? Node = null, DemoModel.Choice? Model = null,
        string? Fhir = null, string? ReviewArchive = null);

    /// <summary>Where `demo --review` keeps the drafts under review (each with the frontal image the model saw).</summary>
    public const string ReviewArchiveFolder = "review-archive";

    public sealed record Result(ModelInfo Model, Uri Node, IReadOnlyList<DemoStudy> Rows);

    /// <summary>
    /// Drafts every study folder under <see cref="Settings.StudiesRoot"/>; step lines [k/N] as each finishes.
    /// Cancelling stops the worker cleanly: running jobs keep their lease and are claimed again by the next run.
    /// </summary>
    public static async Task<Result> RunAsync(Settings settings, CliConsole console, int expected, CancellationToken cancellationToken)
    {
        ResetWorkerState(settings.OutDir);
        await using var node = settings.Model is { } model ? await StartNodeAsync(model, console, cancellationToken) : null;
        var address = node is not null ? new Uri(node.Urls.First()) : settings.Node ?? throw new ArgumentException("a node or a model is needed");
        using var client = new InferenceNodeClient(new InferenceNodeClientOptions { Address = address });
        await console.Out.WriteLineAsync($"[2/4] waiting for the inference node on {address}");
        if (!await client.WaitUntilServingAsync(TimeSpan.FromSeconds(60), cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new CommandFailedException($"the inference node on {address} did not become SERVING within 60 s");
        }
        var info = await client.GetModelInfoAsync(cancellationToken);
        await console.Out.WriteLineAsync($"      model {info.Identity.ModelId} {info.Identity.ModelVersion} on {info.Device}, weights sha256 {info.Identity.WeightsSha256[..16]}…");

        await console.Out.WriteLineAsync($"[3/4] starting the worker: SQLite job store, folder source over {settings.StudiesRoot}, "
            + (settings.Fhir is null ? $"drafts to {Path.Combine(settings.OutDir, DraftFolder)}" : $"FHIR at {settings.Fhir}"));
        var progress = new DemoProgress(settings.StudiesRoot, expected);
        await using var worker = WorkerHost.Build(WorkerArguments(settings, address), builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton<IJobOutcomeObserver>(progress);
        });
        await console.Out.WriteLineAsync($"[4/4] drafting {expected} studies");
        var finished = await LiveProgress.CountAsync(console, "drafting", expected, async lines =>
        {
            progress.Lines = lines;
            await worker.StartAsync(cancellationToken);
            try
            {
                return await Task.WhenAny(progress.AllDone, Task.Delay(RunLimit, cancellationToken)) == progress.AllDone;
            }
            finally
            {
                await worker.StopAsync(CancellationToken.None); // leases, not half-written rows, are what a stop leaves
            }
        });
        cancellationToken.ThrowIfCancellationRequested();
        if (!finished)
            throw new CommandFailedException($"only {progress.Rows.Count} of {expected} studies finished within {RunLimit.TotalMinutes} min; see {settings.OutDir}");
        return new Result(info, address, progress.Rows);
    }

    private static async Task<WebApplication> StartNodeAsync(DemoModel.Choice model, CliConsole console, CancellationToken cancellationToken)
    {
        await console.Out.WriteLineAsync($"[1/4] {model.Description}; starting an in-process inference node on 127.0.0.1");
        var node = InferenceNode.Build(
            ["--urls=http://127.0.0.1:0", $"--Inference:ModelDirectory={model.Directory}", "--Inference:Device=cpu"],
            // "Unhealthy: model loading" while the demo waits for SERVING is expected, not an error to show.
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning)
                .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        await node.StartAsync(cancellationToken);
        return node;
    }

    /// <summary>Each run starts from an empty job store and draft folder, so every study is drafted again.</summary>
    private static void ResetWorkerState(string outDir)
    {
        Directory.CreateDirectory(outDir);
        foreach (var file in new[] { "jobs.db", "jobs.db-wal", "jobs.db-shm" })
            File.Delete(Path.Combine(outDir, file));
        foreach (var folder in new[] { DraftFolder, "sr", "hl7", ReviewArchiveFolder })
            if (Directory.Exists(Path.Combine(outDir, folder))) Directory.Delete(Path.Combine(outDir, folder), recursive: true);
    }

    private static string[] WorkerArguments(Settings settings, Uri node)
    {
        var outDir = settings.OutDir;
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
            $"--Pipeline:Concurrency={settings.Concurrency}",
            "--Pipeline:IdlePollInterval=00:00:00.200",
            "--Pipeline:MaxNewTokens=48",
            $"--FolderSource:Path={settings.StudiesRoot}",
            "--FolderSource:StableAfter=00:00:00",
            "--FolderSource:ScanInterval=00:00:01",
            $"--Audit:FilePath={Path.Combine(outDir, "audit", "audit-events.jsonl")}",
            $"--Exports:Folder={outDir}", // sr/*.dcm and hl7/*.hl7 beside the bundles
        ];
        if (settings.Fhir is not null) args.Add($"--Fhir:BaseUrl={settings.Fhir}");
        if (settings.ReviewArchive is not null) args.AddRange(["--Review:Enabled=true", $"--Review:ArchiveFolder={settings.ReviewArchive}", $"--Review:OutputFolder={outDir}"]);
        return [.. args];
    }
}
