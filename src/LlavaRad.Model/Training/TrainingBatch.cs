using LlavaRad.Model.Architecture;
using static TorchSharp.torch;

namespace LlavaRad.Model.Training;

/// <summary>
/// Turns examples into model inputs: normalised pixels [B, 3, S, S]; and, for the language model, input embeddings
/// [B, T, D] (prompt text, image rows at the slot, findings) right-padded with zeros, plus labels [B, T] that hold
/// the findings ids and -100 (ignored) everywhere else, as LLaVA masks the prompt and the image.
/// </summary>
public static class TrainingBatch
{
    public const long Ignore = -100;

    public static Tensor Pixels(IReadOnlyList<TrainingExample> batch, ModelConfig config)
    {
        var s = config.VisionConfig.ImageSize;
        var bytes = batch.SelectMany(e => e.Image).ToArray();
        var gray = tensor(bytes, [batch.Count, 1, s, s]).to(ScalarType.Float32).div_(255);   // [B, 1, S, S]
        var mean = tensor(config.ImageMean, [1, 3, 1, 1]);
        var std = tensor(config.ImageStd, [1, 3, 1, 1]);
        return (gray.expand(batch.Count, 3, s, s) - mean) / std;                              // [B, 3, S, S]
    }

    /// <param name="imageRows">[B, N, D] projected image rows, or null to drop the image slot (text-only pre-training)</param>
    public static (Tensor Embeds, Tensor Labels) Sequences(IReadOnlyList<TrainingExample> batch, TrainingForward forward, Tensor? imageRows)
    {
        var embeds = new List<Tensor>();
        var labels = new List<long[]>();
        for (var b = 0; b < batch.Count; b++)
        {
            var ids = batch[b].PromptIds;
            var slot = Array.IndexOf(ids, LlavaRadModel.ImageTokenIndex);
            var before = ids[..slot];
            var after = ids[(slot + 1)..].Concat(batch[b].TargetIds).ToArray();
            var parts = new List<Tensor> { forward.Embed(tensor(before)) };
            if (imageRows is not null) parts.Add(imageRows[b]);
            parts.Add(forward.Embed(tensor(after)));
            embeds.Add(cat(parts, 0)); // [L_b, D]
            var promptLength = before.Length + (imageRows is null ? 0 : imageRows.shape[1]) + ids.Length - slot - 1;
            labels.Add(Enumerable.Repeat(Ignore, (int)promptLength).Concat(batch[b].TargetIds).ToArray());
        }
        var longest = embeds.Max(e => e.shape[0]);
        var padded = stack(embeds.Select(e => nn.functional.pad(e, [0, 0, 0, longest - e.shape[0]])).ToArray()); // [B, T, D]
        var labelRows = labels.Select(l => l.Concat(Enumerable.Repeat(Ignore, (int)(longest - l.Length)))).SelectMany(x => x).ToArray();
        return (padded, tensor(labelRows, [batch.Count, longest]));
    }

    /// <summary>Next-token cross-entropy over the findings positions: logits [B, T, V] at t predict labels at t+1.</summary>
    public static Tensor Loss(Tensor logits, Tensor labels)
    {
        long t = logits.shape[1], v = logits.shape[2];
        var predicted = logits.narrow(1, 0, t - 1).reshape(-1, v);
        var targets = labels.narrow(1, 1, t - 1).reshape(-1);
        return nn.functional.cross_entropy(predicted, targets, ignore_index: Ignore);
    }
}
