namespace LlavaRad.Model.Training;

/// <summary>One stage's optimiser settings (AdamW, cosine schedule with linear warm-up to the peak rate).</summary>
public sealed record StageSettings(int Steps, double LearningRate, int BatchSize, double WeightDecay = 0.0);

/// <summary>
/// The recipe: stage 0 pre-trains the vision trunk (image-level labels) and the language model (findings text); stage
/// 1 trains the projector alone with both frozen; stage 2 trains LoRA on the language model's linear layers together
/// with the projector (spec section 8, scaled down).
/// </summary>
public sealed record TrainingSettings
{
    public ulong Seed { get; init; } = 8;
    public StageSettings VisionPretraining { get; init; } = new(1500, 2e-3, 32, 0.05);
    public StageSettings TextPretraining { get; init; } = new(400, 3e-3, 24, 0.05);
    public StageSettings Alignment { get; init; } = new(200, 2e-3, 24);
    public StageSettings LoraFineTuning { get; init; } = new(1200, 2e-3, 24);
    public int LoraRank { get; init; } = 16;
    public double LoraAlpha { get; init; } = 32;
    public double WarmupFraction { get; init; } = 0.03;
    public double ClipNorm { get; init; } = 1.0;
}
