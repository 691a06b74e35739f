using LlavaRad.Model;

namespace LlavaRad.Inference;

/// <summary>
/// How many positions a request may use: the prompt (template + indication + the image's projected rows, which
/// replace the one image slot) plus max_new_tokens must fit the KV rows and the batch token budget.
/// </summary>
public sealed record PromptBudget(int PositionLimit, int ImageTokens, int TemplateTokens)
{
    /// <summary>Positions of a prompt without indication: what GetModelInfo reports as the prompt overhead.</summary>
    public int Overhead => ImageTokens + TemplateTokens;

    public int LargestMaxNewTokens => Math.Max(0, PositionLimit - Overhead);

    public static PromptBudget For(FindingsModel model, BatchingOptions batching)
    {
        var capacity = model.Directory.Config.TextConfig.MaxPositionEmbeddings;
        var batchTokens = batching.MaxBatchTokens > 0 ? batching.MaxBatchTokens : int.MaxValue;
        // The template's ids minus its one image slot (-200).
        return new PromptBudget(Math.Min(capacity, batchTokens), model.Directory.Config.VisionConfig.NumPatches, model.PromptIds(null).Count - 1);
    }

    public int PromptPositions(IReadOnlyCollection<long> promptIds) => promptIds.Count - 1 + ImageTokens;
}
