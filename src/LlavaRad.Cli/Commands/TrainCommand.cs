using System.CommandLine;
using LlavaRad.Model.Training;
using LlavaRad.Training;

namespace LlavaRad.Cli;

/// <summary>
/// `llavarad train`: trains the tiny LLaVA-Rad on synthetic radiographs (stage 0 vision + text pre-training,
/// stage 1 projector, stage 2 LoRA + projector) and writes a canonical model directory with manifest.json.
/// </summary>
public sealed class TrainCommand : ICliCommand
{
    public Command Create(CliConsole console)
    {
        var defaults = new TrainingSettings();
        var outDir = CliOptions.Text("--out", "DIR", "the model directory to write", required: true);
        var checkpoints = CliOptions.Text("--checkpoints", "DIR", "where to keep a checkpoint after each stage");
        var trainCases = CliOptions.Whole("--train-cases", "synthetic training studies", 3000);
        var evalCases = CliOptions.Whole("--eval-cases", "held-out studies to evaluate on", 200, minimum: 0);
        var stepsScale = CliOptions.Number("--steps-scale", "X", "multiplies every stage's steps (default 1.0)");
        stepsScale.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is <= 0) result.AddError("--steps-scale must be a positive number");
        });
        var threads = CliOptions.Whole("--threads", "CPU threads", 2);
        var seed = CliOptions.Whole("--seed", "the training seed", (int)defaults.Seed);
        var resumeFrom = CliOptions.Text("--resume-from", "CHECKPOINT", "continue from a stage checkpoint (with --first-stage)");
        var firstStage = CliOptions.Text("--first-stage", "NAME", "the stage to start at when resuming");
        var command = new Command("train", "train the tiny synthetic-CXR model (stages 0-2) and evaluate it on held-out studies")
            .With(outDir, checkpoints, trainCases, evalCases, stepsScale, threads, seed, resumeFrom, firstStage);
        command.Validators.Add(result =>
        {
            if (result.GetResult(resumeFrom) is not null && result.GetResult(firstStage) is null)
                result.AddError("--resume-from needs --first-stage NAME");
        });
        VerbAction.Set(command, console, (parse, cancellationToken) =>
        {
            var scale = parse.GetValue(stepsScale) ?? 1.0;
            StageSettings Scaled(StageSettings stage) => stage with { Steps = Math.Max(2, (int)Math.Round(stage.Steps * scale)) };
            var run = new TrainingRunOptions
            {
                OutputDirectory = parse.GetRequiredValue(outDir),
                CheckpointDirectory = parse.GetValue(checkpoints),
                TrainCases = parse.GetValue(trainCases),
                EvalCases = parse.GetValue(evalCases),
                Threads = parse.GetValue(threads),
                Settings = defaults with
                {
                    Seed = (ulong)parse.GetValue(seed),
                    VisionPretraining = Scaled(defaults.VisionPretraining),
                    TextPretraining = Scaled(defaults.TextPretraining),
                    Alignment = Scaled(defaults.Alignment),
                    LoraFineTuning = Scaled(defaults.LoraFineTuning),
                },
                Command = "llavarad " + string.Join(" ", parse.Tokens.Select(t => t.Value)),
                ResumeFrom = parse.GetValue(resumeFrom),
                FirstStage = parse.GetValue(firstStage),
            };
            var manifest = LiveProgress.Run(console, "training", report => SyntheticTrainingRun.Run(run, report));
            console.Out.WriteLine($"wrote {run.OutputDirectory} (total {manifest["seconds"]?["total"]} s)");
            return CliApp.Ok;
        });
        return command;
    }
}
