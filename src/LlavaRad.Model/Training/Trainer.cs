using System.Diagnostics;
using LlavaRad.Model.Architecture;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LlavaRad.Model.Training;

/// <summary>What one stage did: mean loss over its first and last ten steps, and its wall time.</summary>
public sealed record StageReport(string Stage, int Steps, double FirstLoss, double LastLoss, TimeSpan Elapsed);

/// <summary>
/// Runs the training recipe of <see cref="TrainingSettings"/> on a <see cref="TrainableParameters"/> set. Each stage
/// chooses what is trainable, builds an AdamW over it, and for every step: sets the scheduled rate, draws a seeded
/// batch, computes the loss, backpropagates, clips the gradient norm and steps. LoRA is merged at the end, so the
/// parameters are the final canonical weights.
/// </summary>
public sealed class Trainer(TrainableParameters model, IReadOnlyList<TrainingExample> examples, TrainingSettings settings, Action<string>? progress = null)
{
    private const string Projector = "model.mm_projector.";
    private readonly ModelConfig _config = model.Config;
    private readonly RotaryEmbedding _rope = new(model.Config.TextConfig.HeadDim, model.Config.TextConfig.MaxPositionEmbeddings, model.Config.TextConfig.RopeTheta, CPU);

    /// <summary>Called after each stage with its name (e.g. to write a checkpoint).</summary>
    public Action<string>? StageFinished { get; init; }

    public static readonly IReadOnlyList<string> StageNames = ["stage0-vision", "stage0-text", "stage1-projector", "stage2-lora"];

    /// <summary>
    /// Runs the stages in order, starting at <paramref name="firstStage"/> (the parameters then hold the checkpoint of
    /// the stage before it). Each stage draws its own seeded batches and initialisations, so a resumed run gives the
    /// same weights as an uninterrupted one.
    /// </summary>
    public IReadOnlyList<StageReport> RunAll(string? firstStage = null)
    {
        var start = firstStage is null ? 0 : StageNames.ToList().IndexOf(firstStage);
        if (start < 0) throw new ArgumentException($"unknown stage \"{firstStage}\"; stages are {string.Join(", ", StageNames)}");
        Func<StageReport>[] stages = [PretrainVision, PretrainText, AlignProjector, FineTuneWithLora];
        return stages.Skip(start).Select(stage => stage()).ToList();
    }

    /// <summary>Stage 0a: the vision trunk learns the image-level labels through a linear probe on its mean patch feature (the probe is thrown away).</summary>
    public StageReport PretrainVision()
    {
        var labels = examples[0].ImageLabels.Length;
        var width = _config.VisionConfig.HiddenSize;
        using var probe = new Parameter(randn([labels, width], generator: new torch.Generator(settings.Seed + 1)).mul_(0.02));
        using var probeBias = new Parameter(zeros(labels));
        model.Freeze();
        var trunk = model.Under(CheckpointLayout.VisionPrefix).ToList();
        model.Unfreeze(trunk);
        return RunStage("stage0-vision", settings.VisionPretraining, trunk.Append(probe).Append(probeBias), batch =>
        {
            var forward = new TrainingForward(_config, model.AsTensors(), _rope);
            var pooled = forward.VisionFeatures(TrainingBatch.Pixels(batch, _config)).mean([1]);         // [B, Cv]
            var targets = tensor(batch.SelectMany(e => e.ImageLabels).ToArray(), [batch.Count, labels]);  // [B, K]
            return F.binary_cross_entropy_with_logits(F.linear(pooled, probe, probeBias), targets);
        });
    }

    /// <summary>Stage 0b: the language model learns the report language (prompt without the image, loss on the findings).</summary>
    public StageReport PretrainText()
    {
        model.Freeze();
        var lm = model.Under("model.embed_tokens.", "model.layers.", "model.norm.", "lm_head.").ToList();
        model.Unfreeze(lm);
        return RunStage("stage0-text", settings.TextPretraining, lm, batch =>
        {
            var forward = new TrainingForward(_config, model.AsTensors(), _rope);
            var (embeds, labels) = TrainingBatch.Sequences(batch, forward, imageRows: null);
            return TrainingBatch.Loss(forward.Logits(embeds), labels);
        });
    }

    /// <summary>Stage 1: only the projector learns; the trunk and the language model are frozen.</summary>
    public StageReport AlignProjector()
    {
        model.Freeze();
        var projector = model.Under(Projector).ToList();
        model.Unfreeze(projector);
        return RunStage("stage1-projector", settings.Alignment, projector, batch => MultimodalLoss(batch, model.AsTensors()));
    }

    /// <summary>Stage 2: LoRA on every language-model linear layer plus the projector; merged into the weights at the end.</summary>
    public StageReport FineTuneWithLora()
    {
        model.Freeze();
        var projector = model.Under(Projector).ToList();
        model.Unfreeze(projector);
        using var lora = new LoraAdapters(model, settings.LoraRank, settings.LoraAlpha, settings.Seed + 2);
        var report = RunStage("stage2-lora", settings.LoraFineTuning, lora.Parameters.Concat(projector),
            batch => MultimodalLoss(batch, lora.Apply(model.AsTensors())), announce: false);
        lora.MergeInto(model);
        model.Freeze();
        StageFinished?.Invoke(report.Stage);
        return report;
    }

    private Tensor MultimodalLoss(IReadOnlyList<TrainingExample> batch, Dictionary<string, Tensor> weights)
    {
        var forward = new TrainingForward(_config, weights, _rope);
        Tensor features;
        using (torch.no_grad()) features = forward.VisionFeatures(TrainingBatch.Pixels(batch, _config)); // frozen trunk: [B, N, Cv]
        var (embeds, labels) = TrainingBatch.Sequences(batch, forward, forward.Project(features));
        return TrainingBatch.Loss(forward.Logits(embeds), labels);
    }

    private StageReport RunStage(string name, StageSettings stage, IEnumerable<Parameter> trainable, Func<IReadOnlyList<TrainingExample>, Tensor> lossOf, bool announce = true)
    {
        var parameters = trainable.ToList();
        using var optimizer = torch.optim.AdamW(parameters, lr: stage.LearningRate, weight_decay: stage.WeightDecay);
        var schedule = new CosineSchedule(stage.LearningRate, Math.Max(1, (int)(stage.Steps * settings.WarmupFraction)), stage.Steps, stage.LearningRate * 0.05);
        var random = new Random(unchecked((int)settings.Seed) ^ name.Length * 7919 ^ name[^1]);
        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        progress?.Invoke($"{name}: {stage.Steps} steps, batch {stage.BatchSize}, peak lr {stage.LearningRate}, {parameters.Sum(p => p.numel()):N0} trainable values");
        for (var step = 0; step < stage.Steps; step++)
        {
            foreach (var group in optimizer.ParamGroups) group.LearningRate = schedule.At(step);
            var batch = Enumerable.Range(0, stage.BatchSize).Select(_ => examples[random.Next(examples.Count)]).ToList();
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = lossOf(batch);
            loss.backward();
            torch.nn.utils.clip_grad_norm_(parameters, settings.ClipNorm);
            optimizer.step();
            losses.Add(loss.item<float>());
            if ((step + 1) % 25 == 0 || step + 1 == stage.Steps)
                progress?.Invoke($"  {name} step {step + 1}/{stage.Steps}  loss {losses.TakeLast(25).Average():F4}  lr {schedule.At(step):E2}  {clock.Elapsed.TotalSeconds:F0}s");
        }
        var report = new StageReport(name, stage.Steps, losses.Take(10).Average(), losses.TakeLast(10).Average(), clock.Elapsed);
        if (announce) StageFinished?.Invoke(name);
        return report;
    }
}
