namespace LlavaRad.Model.Training;

/// <summary>Linear warm-up to the peak rate, then cosine decay to <c>min</c> (the HF "cosine" schedule LLaVA uses, with a floor).</summary>
public sealed record CosineSchedule(double Peak, int WarmupSteps, int TotalSteps, double Min = 0)
{
    public double At(int step)
    {
        if (step < WarmupSteps) return Peak * (step + 1) / WarmupSteps;
        var progress = Math.Min(1.0, (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps));
        return Min + (Peak - Min) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
