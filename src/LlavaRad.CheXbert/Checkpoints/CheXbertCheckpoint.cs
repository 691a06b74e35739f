using System.Text.RegularExpressions;
using LlavaRad.CheXbert.Architecture;
using TorchSharp;

namespace LlavaRad.CheXbert.Checkpoints;

/// <summary>
/// chexbert.pth -> <see cref="CheXbertModel"/>: strips DataParallel's "module.", infers the sizes from the tensors and
/// checks every tensor's shape against them (the pooler may be present and is ignored).
/// </summary>
public static partial class CheXbertCheckpoint
{
    public static CheXbertModel Load(string path)
    {
        var state = CheckpointReader.ReadStateDict(path)
            .ToDictionary(kv => kv.Key.StartsWith("module.", StringComparison.Ordinal) ? kv.Key["module.".Length..] : kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var config = InferConfig(state);
        var expected = ExpectedShapes(config);
        foreach (var (name, shape) in expected)
        {
            if (!state.TryGetValue(name, out var tensor)) throw Mismatch($"{path} has no tensor {name}");
            if (!tensor.Shape.SequenceEqual(shape))
                throw Mismatch($"{name} is [{string.Join(", ", tensor.Shape)}], expected [{string.Join(", ", shape)}] for {config}");
        }
        var unexpected = state.Keys.FirstOrDefault(k => !expected.ContainsKey(k) && !k.StartsWith("bert.pooler.", StringComparison.Ordinal));
        if (unexpected is not null) throw Mismatch($"{path} holds {unexpected}, which CheXbert does not have");
        var tensors = expected.Keys.ToDictionary(k => k, k => torch.tensor(state[k].Values, state[k].Shape), StringComparer.Ordinal);
        return new CheXbertModel(tensors, config);
    }

    private static CheXbertConfig InferConfig(Dictionary<string, CheckpointTensor> state)
    {
        long[] Shape(string name) => state.TryGetValue(name, out var t) ? t.Shape : throw Mismatch($"the checkpoint has no tensor {name}");
        var words = Shape("bert.embeddings.word_embeddings.weight");
        if (words.Length != 2) throw Mismatch("bert.embeddings.word_embeddings.weight is not a matrix");
        var hidden = (int)words[1];
        if (hidden % CheXbertConfig.HeadSize != 0) throw Mismatch($"hidden size {hidden} is not a multiple of the head size {CheXbertConfig.HeadSize}");
        var layers = state.Keys.Select(k => LayerIndex().Match(k)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).DefaultIfEmpty(-1).Max() + 1;
        if (layers == 0) throw Mismatch("the checkpoint has no bert.encoder.layer.* tensors");
        return new CheXbertConfig((int)words[0], hidden, (int)Shape("bert.embeddings.position_embeddings.weight")[0],
            (int)Shape("bert.embeddings.token_type_embeddings.weight")[0], layers, (int)Shape("bert.encoder.layer.0.intermediate.dense.weight")[0]);
    }

    private static Dictionary<string, long[]> ExpectedShapes(CheXbertConfig c)
    {
        long h = c.HiddenSize, i = c.IntermediateSize;
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["bert.embeddings.word_embeddings.weight"] = [c.VocabSize, h],
            ["bert.embeddings.position_embeddings.weight"] = [c.MaxPositions, h],
            ["bert.embeddings.token_type_embeddings.weight"] = [c.TokenTypes, h],
            ["bert.embeddings.LayerNorm.weight"] = [h],
            ["bert.embeddings.LayerNorm.bias"] = [h],
        };
        for (var layer = 0; layer < c.Layers; layer++)
        {
            var p = $"bert.encoder.layer.{layer}.";
            foreach (var (name, rows, columns) in new[] { ("attention.self.query", h, h), ("attention.self.key", h, h), ("attention.self.value", h, h),
                         ("attention.output.dense", h, h), ("intermediate.dense", i, h), ("output.dense", h, i) })
            {
                shapes[p + name + ".weight"] = [rows, columns];
                shapes[p + name + ".bias"] = [rows];
            }
            foreach (var norm in new[] { "attention.output.LayerNorm", "output.LayerNorm" })
            {
                shapes[p + norm + ".weight"] = [h];
                shapes[p + norm + ".bias"] = [h];
            }
        }
        for (var head = 0; head < CheXbertConfig.HeadClasses.Count; head++)
        {
            shapes[$"linear_heads.{head}.weight"] = [CheXbertConfig.HeadClasses[head], h];
            shapes[$"linear_heads.{head}.bias"] = [CheXbertConfig.HeadClasses[head]];
        }
        return shapes;
    }

    [GeneratedRegex(@"^bert\.encoder\.layer\.(\d+)\.")]
    private static partial Regex LayerIndex();

    private static CheXbertException Mismatch(string message) => new(CheXbertException.WeightsMismatch, message);
}
