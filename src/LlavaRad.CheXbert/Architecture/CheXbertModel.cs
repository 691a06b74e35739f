using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LlavaRad.CheXbert.Architecture;

/// <summary>
/// CheXbert: a BERT encoder, then 14 linear heads on the last hidden state of [CLS] (the pooler is unused).
/// Weights are the checkpoint's names without "module." (e.g. "bert.encoder.layer.0.attention.self.query.weight").
/// </summary>
public sealed class CheXbertModel(IReadOnlyDictionary<string, Tensor> tensors, CheXbertConfig config)
{
    private readonly BertEmbeddings _embeddings = new(new Weights(tensors, "bert.embeddings."));
    private readonly BertLayer[] _layers = Enumerable.Range(0, config.Layers)
        .Select(i => new BertLayer(new Weights(tensors, $"bert.encoder.layer.{i}."), config)).ToArray();
    private readonly Weights _heads = new(tensors, "linear_heads.");

    public CheXbertConfig Config => config;

    /// <summary>ids, mask: [B, S] int64 (mask 1 on real tokens) -> one [B, classes] tensor per head.</summary>
    public Tensor[] Forward(Tensor ids, Tensor mask)
    {
        var maskBias = (1 - mask.to(float32)).view(mask.shape[0], 1, 1, mask.shape[1]) * -10000f;  // [B, 1, 1, S]
        var x = _embeddings.Forward(ids);
        foreach (var layer in _layers) x = layer.Forward(x, maskBias);
        var cls = x.select(1, 0);                                                                       // [B, H]
        return Enumerable.Range(0, CheXbertConfig.HeadClasses.Count)
            .Select(i => F.linear(cls, _heads[$"{i}.weight"], _heads[$"{i}.bias"])).ToArray();
    }
}
