using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LlavaRad.CheXbert.Architecture;

/// <summary>Word + absolute position + token type (all 0: one segment) embeddings, then LayerNorm. Dropout is off at inference.</summary>
public sealed class BertEmbeddings(Weights w)
{
    public Tensor Forward(Tensor ids) // ids: [B, S] int64 -> [B, S, H]
    {
        var positions = arange(ids.shape[1], dtype: int64, device: ids.device);                       // [S]
        var x = w["word_embeddings.weight"][ids]                                                        // [B, S, H]
            + w["position_embeddings.weight"][positions].unsqueeze(0)                                  // [1, S, H]
            + w["token_type_embeddings.weight"][0];                                                     // [H]
        return F.layer_norm(x, [x.shape[^1]], w["LayerNorm.weight"], w["LayerNorm.bias"], CheXbertConfig.LayerNormEps);
    }
}
