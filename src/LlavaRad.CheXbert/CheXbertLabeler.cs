using LlavaRad.CheXbert.Architecture;
using LlavaRad.CheXbert.Checkpoints;
using LlavaRad.CheXbert.Tokenization;
using TorchSharp;

namespace LlavaRad.CheXbert;

/// <summary>One report's CheXbert output: per condition (CheXpert order) the head's logits and its argmax class.</summary>
public sealed record CheXbertResult(float[][] Logits)
{
    /// <summary>0 blank, 1 positive, 2 negative, 3 uncertain ("No Finding": 0 blank, 1 positive).</summary>
    public int[] Classes => Logits.Select(l => Array.IndexOf(l, l.Max())).ToArray();
}

/// <summary>
/// Reports -> CheXbert logits, in batches padded with [PAD] (id 0) under an attention mask, on the CPU with the
/// thread count given. Argmax ties go to the lower class, as torch.argmax on CPU does.
/// </summary>
public sealed class CheXbertLabeler(CheXbertModel model, CheXbertTextEncoder encoder)
{
    public static CheXbertLabeler Load(string checkpoint, string vocabulary) =>
        new(CheXbertCheckpoint.Load(checkpoint), new CheXbertTextEncoder(BertVocabulary.Load(vocabulary)));

    public IReadOnlyList<CheXbertResult> Label(IReadOnlyList<string> reports, int batchSize = 16, Action<int>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var results = new List<CheXbertResult>(reports.Count);
        for (var start = 0; start < reports.Count; start += batchSize)
        {
            results.AddRange(Batch(reports.Skip(start).Take(batchSize).Select(encoder.Encode).ToList()));
            progress?.Invoke(results.Count);
        }
        return results;
    }

    private IEnumerable<CheXbertResult> Batch(List<int[]> encoded)
    {
        var length = encoded.Max(e => e.Length);
        if (length > model.Config.MaxPositions)
            throw new CheXbertException(CheXbertException.WeightsMismatch, $"a report has {length} ids; the checkpoint has {model.Config.MaxPositions} positions");
        var ids = new long[encoded.Count * length];
        var mask = new long[encoded.Count * length];
        for (var row = 0; row < encoded.Count; row++)
            for (var i = 0; i < encoded[row].Length; i++) (ids[row * length + i], mask[row * length + i]) = (encoded[row][i], 1);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var heads = model.Forward(torch.tensor(ids, [encoded.Count, length]), torch.tensor(mask, [encoded.Count, length]))
            .Select(h => h.data<float>().ToArray()).ToArray();
        for (var row = 0; row < encoded.Count; row++)
            yield return new CheXbertResult(heads.Select((h, head) =>
            {
                var classes = CheXbertConfig.HeadClasses[head];
                return h.AsSpan(row * classes, classes).ToArray();
            }).ToArray());
    }
}
