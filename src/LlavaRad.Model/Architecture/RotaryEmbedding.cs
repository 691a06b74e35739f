using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Model.Architecture;

/// <summary>
/// Rotary position embedding in the HF-LLaMA ("rotate_half") layout: the first and second halves of each head
/// are the two coordinates that rotate together. Tables are built once in fp32, as transformers does.
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly Tensor _cos, _sin; // [maxPositions, hd]

    public RotaryEmbedding(int headDim, int maxPositions, double theta, Device device)
    {
        using var scope = NewDisposeScope();
        var invFreq = 1.0 / torch.pow(theta, torch.arange(0, headDim, 2, ScalarType.Float32) / headDim); // [hd/2]
        var freqs = torch.outer(torch.arange(maxPositions, ScalarType.Float32), invFreq);               // [P, hd/2]
        var angles = torch.cat([freqs, freqs], -1);                                                    // [P, hd]
        _cos = angles.cos().to(device).DetachFromDisposeScope();
        _sin = angles.sin().to(device).DetachFromDisposeScope();
    }

    /// <summary>q or k: [B, H, T, hd]; positions: [B, T] (each row counts its own real tokens).</summary>
    public Tensor Apply(Tensor x, Tensor positions)
    {
        var cos = _cos[positions].unsqueeze(1).to(x.dtype); // [B, 1, T, hd]
        var sin = _sin[positions].unsqueeze(1).to(x.dtype);
        return x * cos + RotateHalf(x) * sin;
    }

    private static Tensor RotateHalf(Tensor x) // (x1, x2) -> (-x2, x1)
    {
        var half = x.shape[^1] / 2;
        return torch.cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
    }
}
