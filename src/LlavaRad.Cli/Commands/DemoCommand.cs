using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlavaRad.Contracts.V1;

namespace LlavaRad.Cli;

/// <summary>
/// `llavarad demo`: the worker's embedded default over the sample studies, with the built-in tiny model in an
/// in-process inference node. `--node URL` uses a running node instead; `--fhir URL` resolves studies on that FHIR
/// server and writes the drafts of the studies it knows there.
/// </summary>
public sealed class DemoCommand : ICliCommand
{
    public const string SummaryFile = "demo-summary.json";
    public const string DraftFolder = EmbeddedWorker.DraftFolder;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The demo's options; a new one is a field here, a line in <see cref="Read"/> and a field of <see cref="DemoSettings"/>.</summary>
    private sealed class Options
    {
        public readonly Option<string> Studies = CliOptions.Text("--studies", "DIR", "the study folders to draft (default: the repository's sample-studies)");
        public readonly Option<string> Out = CliOptions.Text("--out", "DIR", "where the job store, drafts, SRs, ORUs and summary go", "demo-output");
        public readonly Option<string> Model = CliOptions.Text("--model", "DIR", "the model to serve in-process (default: models/tiny-synthetic-cxr)");
        public readonly Option<Uri> Node = CliOptions.NodeUrl(required: false, "a running inference node to use instead of the in-process one");
        public readonly Option<string> Fhir = CliOptions.Text("--fhir", "URL", "a FHIR server: studies it knows are resolved there and drafted to it");
        public readonly Option<int> Concurrency = CliOptions.Whole("--concurrency", "studies drafted at once", 2);
        public readonly Option<string> Review = CliOptions.Text("--review", "URL",
            "after drafting, serve the review app (local single-user mode) on this loopback URL until Ctrl+C or SIGTERM");

        public Command AddTo(Command command) => command.With(Studies, Out, Model, Node, Fhir, Concurrency, Review);

        public DemoSettings Read(ParseResult parse) => new(
            Studies: parse.GetValue(Studies), Out: parse.GetRequiredValue(Out), Model: parse.GetValue(Model),
            Node: parse.GetValue(Node), Fhir: parse.GetValue(Fhir), Concurrency: parse.GetValue(Concurrency),
            Review: ReviewUrl(parse.GetValue(Review)));

        private static Uri? ReviewUrl(string? text) => text switch
        {
            null => null,
            _ when Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && url.IsLoopback => url,
            _ => throw new UsageException($"--review needs a loopback http URL such as http://127.0.0.1:8080, not '{text}'"),
        };
    }

    private sealed record DemoSettings(string? Studies, string Out, string? Model, Uri? Node, string? Fhir, int Concurrency, Uri? Review);

    public Command Create(CliConsole console)
    {
        var options = new Options();
        var command = options.AddTo(new Command("demo", "run the worker's embedded default over the sample studies"));
        VerbAction.Set(command, console, (parse, cancellationToken) => RunAsync(options.Read(parse), console, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(DemoSettings settings, CliConsole console, CancellationToken cancellationToken)
    {
        var samplesRoot = Path.GetFullPath(SampleStudies.Locate(settings.Studies));
        var outDir = Path.GetFullPath(settings.Out);
        Directory.CreateDirectory(outDir);
        // The worker watches copies: the sample studies, and the phantom's in-distribution studies rendered beside them.
        var studiesRoot = StudyStaging.Fresh(outDir);
        StudyStaging.CopyStudyFolders(samplesRoot, studiesRoot);
        PhantomStudies.Render(samplesRoot, studiesRoot);
        var phantom = PhantomStudies.Read(samplesRoot);
        var expected = SampleStudies.StudyFolders(studiesRoot).Count;
        var model = settings.Node is null ? DemoModel.Choose(settings.Model, outDir) : null;
        var result = await EmbeddedWorker.RunAsync(
            new EmbeddedWorker.Settings(studiesRoot, outDir, settings.Concurrency, settings.Node, model, settings.Fhir,
                ReviewArchive: settings.Review is null ? null : Path.Combine(outDir, EmbeddedWorker.ReviewArchiveFolder)),
            console, expected, cancellationToken);

        await console.Out.WriteLineAsync();
        await console.Out.WriteLineAsync(DemoTable.Render(result.Rows, phantom));
        var summaryPath = Path.Combine(outDir, SummaryFile);
        await File.WriteAllTextAsync(summaryPath, Summary(result.Model, result.Node, result.Rows, phantom).ToJsonString(Json), cancellationToken);
        await console.Out.WriteLineAsync($"wrote {summaryPath}, the FHIR transaction bundles in {Path.Combine(outDir, DraftFolder)}, the SRs in {Path.Combine(outDir, "sr")} and the ORU^R01 messages in {Path.Combine(outDir, "hl7")}");
        await console.Out.WriteLineAsync(model is { Trained: false }
            ? "note: the built-in model has random weights, so its text is not meaningful."
            : "note: a tiny model trained on synthetic radiographs; its findings follow the image, but it is no clinical model.");
        if (settings.Review is not null) await ServeReviewAsync(settings.Review, outDir, console, cancellationToken);
        return CliApp.Ok;
    }

    /// <summary>The review app over the drafts just written; signing writes the final bundle into the output folder. Ctrl+C ends it.</summary>
    private static async Task ServeReviewAsync(Uri url, string outDir, CliConsole console, CancellationToken cancellationToken)
    {
        await using var review = await LlavaRad.Review.ReviewHost.StartAsync(
            new LlavaRad.Review.ReviewHostSettings(Path.Combine(outDir, EmbeddedWorker.ReviewArchiveFolder), outDir, url),
            cancellationToken: cancellationToken);
        await console.Out.WriteLineAsync($"review: {review.Url} (local single-user mode; Ctrl+C stops it)");
        // SIGTERM ends the review as Ctrl+C does (a service manager stops it that way); the signal is taken, not fatal.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM,
            signal => { signal.Cancel = true; stop.Cancel(); });
        await review.RunUntilCancelledAsync(stop.Token);
    }

    private static JsonObject Summary(ModelInfo info, Uri address, IReadOnlyList<DemoStudy> rows, IReadOnlyList<PhantomStudies.Case> phantom) => new()
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
            ["phantom"] = DemoTable.Compare(r, phantom) is { } a ? new JsonObject
            {
                ["expected"] = PhantomStudies.Names(a.Expected),
                ["drafted"] = PhantomStudies.Names(a.Drafted),
                ["agreeing_observations"] = a.Agreeing,
                ["of"] = PhantomStudies.Drawn.Length,
            } : null,
        }).ToArray()),
        ["label"] = "AI-generated DRAFT, not reviewed: tiny demo model",
    };
}
