using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlavaRad.Findings;
using LlavaRad.Model;
using LlavaRad.Model.Tokenization;
using LlavaRad.Model.Training;
using LlavaRad.Training.Synthetic;
using TorchSharp;

namespace LlavaRad.Training;

public sealed record TrainingRunOptions
{
    public required string OutputDirectory { get; init; }
    public string? CheckpointDirectory { get; init; }
    public int TrainCases { get; init; } = 3000;
    public int EvalCases { get; init; } = 200;
    public int DataSeed { get; init; } = 7;
    /// <summary>Held-out studies come from a different seed, so none is a training study.</summary>
    public int EvalSeed { get; init; } = 1007;
    public int Threads { get; init; } = 2;
    public TrainingSettings Settings { get; init; } = new();
    public string ModelVersion { get; init; } = "1.0.0";
    public string? Command { get; init; }
    /// <summary>Resume: weights saved after the stage before <see cref="FirstStage"/> (a checkpoint of an earlier run with the same options).</summary>
    public string? ResumeFrom { get; init; }
    public string? FirstStage { get; init; }
}

/// <summary>
/// One reproducible training run on synthetic studies: data -> tokenizer -> config -> the four stages -> canonical
/// model directory (config.json, tokenizer.model, model.safetensors with LoRA merged) -> held-out evaluation ->
/// manifest.json recording seeds, generator version, hyperparameters, losses, timings and metrics.
/// </summary>
public static class SyntheticTrainingRun
{
    public const string ManifestFile = "manifest.json";

    public static JsonObject Run(TrainingRunOptions options, Action<string> progress)
    {
        var clock = Stopwatch.StartNew();
        torch.set_num_threads(options.Threads);
        Directory.CreateDirectory(options.OutputDirectory);

        progress($"generating {options.TrainCases} training studies ({SyntheticCaseGenerator.Version}, seed {options.DataSeed})");
        var generator = new SyntheticCaseGenerator(options.DataSeed);
        var cases = Enumerable.Range(0, options.TrainCases).Select(i => generator.Generate(i)).ToList();

        var words = ReportVocabulary.Words(cases.Select(c => c.FindingsText)
            .Append(PromptTemplate.Prompt(null)).Append(PromptTemplate.InstructionWithIndication).Concat(Indications.All));
        var vocabSize = ReportVocabulary.WriteWithWordList(options.OutputDirectory, words);
        var tokenizer = SentencePieceTokenizer.Load(Path.Combine(options.OutputDirectory, ModelDirectory.TokenizerFile));
        var config = SyntheticModelConfig.Create(vocabSize, options.ModelVersion);
        progress($"tokenizer: {words.Count} words, vocabulary {vocabSize}; reading the studies back through the DICOM path");
        var examples = SyntheticTrainingSet.Build(cases, config, tokenizer, options.DataSeed);
        var dataTime = clock.Elapsed;

        using var model = TrainableParameters.Initialize(config, options.Settings.Seed);
        var trainer = new Trainer(model, examples, options.Settings, progress)
        {
            StageFinished = stage =>
            {
                if (options.CheckpointDirectory is null) return;
                Directory.CreateDirectory(options.CheckpointDirectory);
                model.SaveWeights(Path.Combine(options.CheckpointDirectory, stage + ".safetensors"));
            },
        };
        if (options.ResumeFrom is not null)
        {
            progress($"resuming at {options.FirstStage} from {options.ResumeFrom}");
            model.LoadWeights(options.ResumeFrom);
        }
        var stages = trainer.RunAll(options.FirstStage);
        config.Save(Path.Combine(options.OutputDirectory, ModelDirectory.ConfigFile));
        model.SaveWeights(Path.Combine(options.OutputDirectory, ModelDirectory.SingleWeightsFile));
        var trainTime = clock.Elapsed - dataTime;

        JsonNode? evaluation = null;
        if (options.EvalCases > 0)
        {
            progress($"evaluating on {options.EvalCases} held-out studies (seed {options.EvalSeed})");
            var heldOut = new SyntheticCaseGenerator(options.EvalSeed);
            var evalCases = Enumerable.Range(0, options.EvalCases).Select(i => heldOut.Generate(i)).ToList();
            using var findings = FindingsModel.Load(options.OutputDirectory, torch.CPU);
            var result = new SyntheticEvaluation(new FindingsLabeler()).Evaluate(findings, evalCases,
                progress: n => { if (n % 50 == 0) progress($"  {n}/{evalCases.Count}"); });
            WritePairs(Path.Combine(options.CheckpointDirectory ?? options.OutputDirectory, "heldout-pairs.jsonl"), result);
            evaluation = EvaluationJson(result);
            progress(EvaluationTable(result));
        }

        var manifest = new JsonObject
        {
            ["model_id"] = config.ModelId,
            ["model_version"] = config.ModelVersion,
            ["description"] = "Tiny LLaVA-Rad trained from scratch on synthetic chest radiographs; not for clinical use.",
            ["command"] = options.Command,
            ["data"] = new JsonObject
            {
                ["generator_version"] = SyntheticCaseGenerator.Version,
                ["train_seed"] = options.DataSeed,
                ["train_cases"] = options.TrainCases,
                ["eval_seed"] = options.EvalSeed,
                ["eval_cases"] = options.EvalCases,
                ["grayscale_profile"] = "mimic-cxr-jpg",
            },
            ["training"] = JsonSerializer.SerializeToNode(options.Settings, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }),
            ["threads"] = options.Threads,
            ["stages"] = new JsonArray(stages.Select(s => (JsonNode)new JsonObject
            {
                ["stage"] = s.Stage, ["steps"] = s.Steps, ["first_loss"] = Math.Round(s.FirstLoss, 4),
                ["last_loss"] = Math.Round(s.LastLoss, 4), ["seconds"] = Math.Round(s.Elapsed.TotalSeconds, 1),
            }).ToArray()),
            ["seconds"] = new JsonObject
            {
                ["data"] = Math.Round(dataTime.TotalSeconds, 1),
                ["training"] = Math.Round(trainTime.TotalSeconds, 1),
                ["total"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            },
            ["weights_sha256"] = ModelDirectory.Open(options.OutputDirectory).ComputeWeightsSha256(),
            ["evaluation"] = evaluation,
        };
        File.WriteAllText(Path.Combine(options.OutputDirectory, ManifestFile), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return manifest;
    }

    public static JsonObject EvaluationJson(SyntheticEvaluationResult result) => new()
    {
        ["labeler"] = "this project's rule-based labeler on both texts, positive -> 1",
        ["pairs"] = result.Pairs.Count,
        ["micro_f1_14"] = Math.Round(result.MicroF1, 4),
        ["per_finding_f1"] = new JsonObject(result.PerFinding.Select(f => KeyValuePair.Create(f.Observation.DisplayName(),
            (JsonNode?)new JsonObject { ["f1"] = Math.Round(f.F1, 4), ["reference_positives"] = f.ReferencePositives, ["generated_positives"] = f.GeneratedPositives }))),
    };

    public static string EvaluationTable(SyntheticEvaluationResult result)
    {
        var lines = new List<string> { $"label micro-F1 (14 observations): {result.MicroF1:F3} over {result.Pairs.Count} studies", $"  {"finding",-28} {"F1",6} {"ref+",5} {"gen+",5}" };
        lines.AddRange(result.PerFinding.Select(f => $"  {f.Observation.DisplayName(),-28} {f.F1,6:F3} {f.ReferencePositives,5} {f.GeneratedPositives,5}"));
        return string.Join("\n", lines);
    }

    public static void WritePairs(string path, SyntheticEvaluationResult result) =>
        File.WriteAllLines(path, result.Pairs.Select(p => new JsonObject { ["generated"] = p.Generated, ["reference"] = p.Reference }.ToJsonString()));
}
