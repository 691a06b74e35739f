using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LlavaRad.Model.Architecture;

/// <summary>
/// The BiomedCLIP-CXR image trunk (timm DINOv2 ViT) as LLaVA-Rad uses it: patch conv, CLS token, learned position
/// embedding added after the CLS concat, then blocks up to the selected one. mm_vision_select_layer -2 means the
/// output of the second-to-last block, so the last block and the final norm are never computed (or loaded).
/// </summary>
public sealed class VisionTower
{
    private readonly Weights _w;
    private readonly VisionConfig _config;
    private readonly VisionBlock[] _blocks;

    public VisionTower(Weights w, VisionConfig config, int selectLayer)
    {
        _w = w;
        _config = config;
        _blocks = Enumerable.Range(0, BlocksComputed(config, selectLayer)).Select(i => new VisionBlock(w.Under($"blocks.{i}."), config)).ToArray();
    }

    /// <summary>hidden_states = [embeddings, block0, …, blockN-1]; index N+1+select is the output after that many blocks.</summary>
    public static int BlocksComputed(VisionConfig config, int selectLayer) => config.NumHiddenLayers + 1 + selectLayer;

    public Tensor Forward(Tensor pixels) // pixels: [B, 3, S, S], normalised
    {
        var p = _config.PatchSize;
        var x = F.conv2d(pixels, _w["patch_embed.proj.weight"], _w["patch_embed.proj.bias"], strides: [p, p]); // [B, C, S/p, S/p]
        x = x.flatten(2).transpose(1, 2);                                                                        // [B, N, C]
        var cls = _w["cls_token"].expand(x.shape[0], -1, -1);                                                    // [B, 1, C]
        x = torch.cat([cls, x], 1) + _w["pos_embed"];                                                            // [B, 1+N, C]
        foreach (var block in _blocks) x = block.Forward(x);
        return x.narrow(1, 1, x.shape[1] - 1);                                                                   // "patch": drop CLS -> [B, N, C]
    }
}
