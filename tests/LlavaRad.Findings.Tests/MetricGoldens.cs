using System.Text.Json;
using System.Text.Json.Nodes;
using LlavaRad.Findings.Evaluation;

namespace LlavaRad.Findings.Tests;

/// <summary>Goldens/metric-goldens.json, written by Reference/make_metric_goldens.py (NLTK + scikit-learn on Debian).</summary>
public static class MetricGoldens
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Goldens");

    public static IReadOnlyList<ReportPair> Pairs { get; } = File.ReadAllLines(Path.Combine(Folder, "metric-pairs.jsonl"))
        .Where(l => l.Trim().Length > 0)
        .Select(l => JsonNode.Parse(l)!)
        .Select(n => new ReportPair((string)n["generated"]!, (string)n["reference"]!))
        .ToList();

    public static JsonNode Json { get; } = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "metric-goldens.json")))!;

    public static T[] Array<T>(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<T>()).ToArray();

    public static List<bool[]> Matrix(JsonNode? node) =>
        node!.AsArray().Select(row => row!.AsArray().Select(v => v!.GetValue<int>() == 1).ToArray()).ToList();

    public static IEnumerable<object[]> BleuSubsets() => Json["bleu"]!.AsObject().Select(kv => new object[] { kv.Key });
}
