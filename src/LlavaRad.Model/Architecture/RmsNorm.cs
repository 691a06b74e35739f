using static TorchSharp.torch;

namespace LlavaRad.Model.Architecture;

/// <summary>LLaMA RMSNorm: normalise in fp32 (fp16 squares overflow), cast back, then scale.</summary>
public sealed class RmsNorm(Tensor weight, double eps)
{
    public Tensor Forward(Tensor x) // [..., D]
    {
        var x32 = x.to(ScalarType.Float32);
        var normed = x32 * (x32.pow(2).mean([-1], keepdim: true) + eps).rsqrt();
        return weight * normed.to(x.dtype);
    }
}
