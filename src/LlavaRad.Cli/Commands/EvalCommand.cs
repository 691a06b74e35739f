using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlavaRad.Findings;
using LlavaRad.Findings.Evaluation;

namespace LlavaRad.Cli;

/// <summary>
/// `llavarad eval`: the paper's report metrics over a JSON-lines file of {"generated", "reference"} pairs, printed as a
/// table (and written as JSON with --json), each with a seeded bootstrap 95% interval.
/// </summary>
public sealed class EvalCommand : ICliCommand
{
    public Command Create(CliConsole console)
    {
        var input = CliOptions.Text("--input", "PAIRS.jsonl", "JSON lines of {\"generated\": ..., \"reference\": ...}, or the review app's collected draft/final pairs", required: true);
        var jsonOut = CliOptions.Text("--json", "OUT.json", "also write the metrics as JSON to this file");
        var bootstrap = CliOptions.Whole("--bootstrap", "bootstrap samples for the 95% intervals", 500);
        var seedOption = CliOptions.Whole("--seed", "the bootstrap's seed", 3, minimum: 0);
        var chexbertArguments = new CheXbertOptions.Arguments();
        var command = chexbertArguments.AddTo(new Command("eval", "BLEU, ROUGE-L, label F1 with 95% CIs").With(input, jsonOut, bootstrap, seedOption));
        VerbAction.Set(command, console, async (parse, cancellationToken) =>
        {
            var (samples, seed) = (parse.GetValue(bootstrap), parse.GetValue(seedOption));
            var chexbert = chexbertArguments.Read(parse);
            var pairs = await ReadPairsAsync(parse.GetRequiredValue(input), cancellationToken);

            var report = LiveProgress.Run(console, "evaluating", progress =>
            {
                progress($"evaluating {pairs.Count} pairs with {samples} bootstrap samples (seed {seed}) ...");
                var ruleBased = new ReportPairEvaluator(new FindingsLabeler()).Evaluate(pairs, samples, seed);
                return chexbert is null ? ruleBased : ruleBased with
                {
                    Metrics = [.. ruleBased.Metrics, .. chexbert.Evaluate(pairs, samples, seed, progress)],
                    NotComputed = ruleBased.NotComputed.Where(s => !s.StartsWith("F1-CheXbert", StringComparison.Ordinal)).ToList(),
                };
            });
            await console.Out.WriteAsync(Table(report));

            if (parse.GetValue(jsonOut) is { } jsonPath)
            {
                try { await File.WriteAllTextAsync(jsonPath, ToJson(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CommandFailedException($"cannot write --json {jsonPath}: {e.Message}");
                }
                await console.Err.WriteLineAsync($"wrote {jsonPath}");
            }
            return CliApp.Ok;
        });
        return command;
    }

    private static async Task<List<ReportPair>> ReadPairsAsync(string path, CancellationToken cancellationToken)
    {
        string[] lines;
        try { lines = await File.ReadAllLinesAsync(path, cancellationToken); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot read --input {path}: {e.Message}");
        }
        var pairs = new List<ReportPair>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            pairs.Add(ParsePair(lines[i], path, i + 1));
        }
        return pairs.Count > 0 ? pairs : throw new CommandFailedException($"{path} holds no (generated, reference) pairs");
    }

    private static ReportPair ParsePair(string line, string path, int number)
    {
        try
        {
            // The review app's collected pairs (GET /review/quality/pairs.jsonl) read as they are: the draft is the generated text, the signed final the reference.
            if (JsonNode.Parse(line) is JsonObject pair
                && (Text(pair, "generated") ?? Text(pair, "draftText")) is { } g
                && (Text(pair, "reference") ?? Text(pair, "finalText")) is { } r)
                return new ReportPair(g, r);
        }
        catch (JsonException) { }
        throw new CommandFailedException($"{path} line {number}: expected {{\"generated\": \"...\", \"reference\": \"...\"}} (or the review app's {{\"draftText\", \"finalText\"}})");
    }

    private static string? Text(JsonObject pair, string name) =>
        pair[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Table(EvaluationReport report)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{report.PairCount} pairs; bootstrap {report.BootstrapSamples} samples, seed {report.Seed}; value on all pairs, then the bootstrap median and 95% interval");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"metric",-26} {"scale",-6} {"value",9} {"median",9} {"95% CI",21}");
        foreach (var m in report.Metrics)
        {
            var e = m.Estimate;
            text.AppendLine(CultureInfo.InvariantCulture, $"{m.Name,-26} {m.Scale,-6} {e.Value,9:F4} {e.Median,9:F4} {$"[{e.Low:F4}, {e.High:F4}]",21}");
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"per finding (rule-based, all pairs; positives in reference / generated):");
        foreach (var f in report.PerFinding.Where(f => f.ReferencePositives + f.GeneratedPositives > 0))
            text.AppendLine(CultureInfo.InvariantCulture, $"  {f.Observation.DisplayName(),-28} F1 {f.F1,6:F3}   {f.ReferencePositives,5} / {f.GeneratedPositives,-5}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"(rule-based) = {ReportPairEvaluator.LabelerNote}.");
        if (report.Metrics.Any(m => m.Name.EndsWith("(CheXbert)", StringComparison.Ordinal)))
            text.AppendLine(CultureInfo.InvariantCulture, $"(CheXbert) = {LlavaRad.CheXbert.CheXbertEvaluation.Note}, as LLaVA-Rad's published F1-14/F1-5; \"+\" also maps uncertain -> 1.");
        foreach (var statement in report.NotComputed) text.AppendLine(statement);
        return text.ToString();
    }

    private static JsonObject ToJson(EvaluationReport report) => new()
    {
        ["pairs"] = report.PairCount,
        ["bootstrap_samples"] = report.BootstrapSamples,
        ["seed"] = report.Seed,
        ["metrics"] = new JsonArray(report.Metrics.Select(m => (JsonNode)new JsonObject
        {
            ["name"] = m.Name,
            ["scale"] = m.Scale,
            ["value"] = m.Estimate.Value,
            ["median"] = m.Estimate.Median,
            ["ci95_low"] = m.Estimate.Low,
            ["ci95_high"] = m.Estimate.High,
            ["note"] = m.Note,
        }).ToArray()),
        ["per_finding"] = new JsonArray(report.PerFinding.Select(f => (JsonNode)new JsonObject
        {
            ["observation"] = f.Observation.DisplayName(),
            ["f1"] = f.F1,
            ["reference_positives"] = f.ReferencePositives,
            ["generated_positives"] = f.GeneratedPositives,
        }).ToArray()),
        ["not_computed"] = new JsonArray(report.NotComputed.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
    };
}
