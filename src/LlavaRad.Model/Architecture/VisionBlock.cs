using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LlavaRad.Model.Architecture;

/// <summary>
/// One timm ViT block as in DINOv2: pre-LayerNorm, fused-qkv attention and a GELU MLP, each branch scaled by its
/// LayerScale vector before the residual add.
/// </summary>
public sealed class VisionBlock(Weights w, VisionConfig config)
{
    private readonly long _heads = config.NumAttentionHeads;
    private readonly double _eps = config.LayerNormEps;

    public Tensor Forward(Tensor x) // x: [B, N, C]
    {
        x = x + w["ls1.gamma"] * Attention(LayerNorm(x, "norm1"));
        return x + w["ls2.gamma"] * Mlp(LayerNorm(x, "norm2"));
    }

    private Tensor LayerNorm(Tensor x, string name) =>
        F.layer_norm(x, [x.shape[^1]], w[name + ".weight"], w[name + ".bias"], _eps);

    private Tensor Attention(Tensor x)
    {
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        // qkv rows are [q | k | v], each split into heads: [B, N, 3, H, hd] -> [3, B, H, N, hd]
        var qkv = F.linear(x, w["attn.qkv.weight"], w["attn.qkv.bias"]).view(b, n, 3, _heads, c / _heads).permute(2, 0, 3, 1, 4);
        var y = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2]); // softmax(q k^T / sqrt(hd)) v: [B, H, N, hd]
        y = y.transpose(1, 2).reshape(b, n, c);
        return F.linear(y, w["attn.proj.weight"], w["attn.proj.bias"]);
    }

    private Tensor Mlp(Tensor x) =>
        F.linear(F.gelu(F.linear(x, w["mlp.fc1.weight"], w["mlp.fc1.bias"])), w["mlp.fc2.weight"], w["mlp.fc2.bias"]);
}
