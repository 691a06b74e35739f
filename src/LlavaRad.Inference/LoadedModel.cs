using LlavaRad.Contracts.V1;
using LlavaRad.Model;

namespace LlavaRad.Inference;

/// <summary>What the node serves once loading has finished.</summary>
public sealed record LoadedModel(FindingsModel Model, ModelIdentity Identity, string Device)
{
    public ModelDirectory Directory => Model.Directory;

    public ModelInfo ToModelInfo() => new()
    {
        Identity = Identity,
        Dtype = Directory.Config.TorchDtype,
        Device = Device,
        MaxContext = (uint)Directory.Config.TextConfig.MaxPositionEmbeddings,
        ImageSize = (uint)Directory.Config.VisionConfig.ImageSize,
        Runtime = TorchDevice.RuntimeDescription,
    };
}
