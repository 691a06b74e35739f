using System.Globalization;
using LlavaRad.Model.Training;
using LlavaRad.Training;

namespace LlavaRad.Cli;

/// <summary>
/// `llavarad train`: trains the tiny LLaVA-Rad on synthetic radiographs (stage 0 vision + text pre-training,
/// stage 1 projector, stage 2 LoRA + projector) and writes a canonical model directory with manifest.json.
/// </summary>
public sealed class TrainCommand : ICliCommand
{
    public string Name => "train";
    public string Usage => "--out DIR [--checkpoints DIR] [--train-cases 3000] [--eval-cases 200] [--steps-scale 1.0] [--threads 2] [--seed 8] [--resume-from CHECKPOINT --first-stage NAME]   "
        + "train the tiny synthetic-CXR model (stages 0-2) and evaluate it on held-out studies";

    public Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = CommandOptions.Parse(args);
        var scale = double.TryParse(options.Get("steps-scale") ?? "1", NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
            ? s : throw new UsageException("--steps-scale must be a positive number");
        var defaults = new TrainingSettings();
        StageSettings Scaled(StageSettings stage) => stage with { Steps = Math.Max(2, (int)Math.Round(stage.Steps * scale)) };
        var settings = defaults with
        {
            Seed = (ulong)SynthCommand.Whole(options, "seed", (int)defaults.Seed),
            VisionPretraining = Scaled(defaults.VisionPretraining),
            TextPretraining = Scaled(defaults.TextPretraining),
            Alignment = Scaled(defaults.Alignment),
            LoraFineTuning = Scaled(defaults.LoraFineTuning),
        };
        var run = new TrainingRunOptions
        {
            OutputDirectory = options.Require("out"),
            CheckpointDirectory = options.Get("checkpoints"),
            TrainCases = SynthCommand.Whole(options, "train-cases", 3000),
            EvalCases = int.TryParse(options.Get("eval-cases") ?? "200", NumberStyles.None, CultureInfo.InvariantCulture, out var e) ? e
                : throw new UsageException("--eval-cases must be a whole number"),
            Threads = SynthCommand.Whole(options, "threads", 2),
            Settings = settings,
            Command = "llavarad train " + string.Join(" ", args),
            ResumeFrom = options.Get("resume-from"),
            FirstStage = options.Get("resume-from") is null ? null : options.Require("first-stage"),
        };
        var manifest = SyntheticTrainingRun.Run(run, line => stderr.WriteLine(line));
        stdout.WriteLine($"wrote {run.OutputDirectory} (total {manifest["seconds"]?["total"]} s)");
        return Task.FromResult(CliApp.Ok);
    }
}
