using LlavaRad.Contracts.V1;
using LlavaRad.Model;

namespace LlavaRad.Inference;

/// <summary>What the node serves once loading has finished.</summary>
public sealed record LoadedModel(FindingsModel Model, ModelIdentity Identity, string Device)
{
    public ModelDirectory Directory => Model.Directory;

    /// <summary>The positions a request may use; the batching options can lower it below max_position_embeddings.</summary>
    public PromptBudget Budget { get; init; } = PromptBudget.For(Model, new BatchingOptions());

    public ModelInfo ToModelInfo() => new()
    {
        Identity = Identity,
        // What the node computes in, which on the CPU is float32 whatever the checkpoint's torch_dtype says.
        Dtype = Model.Model.Dtype switch
        {
            TorchSharp.torch.ScalarType.Float16 => "float16",
            TorchSharp.torch.ScalarType.BFloat16 => "bfloat16",
            _ => "float32",
        },
        Device = Device,
        MaxContext = (uint)Directory.Config.TextConfig.MaxPositionEmbeddings,
        ImageSize = (uint)Directory.Config.VisionConfig.ImageSize,
        Runtime = TorchDevice.RuntimeDescription,
        PromptOverheadTokens = (uint)Budget.Overhead,
        ImageTokens = (uint)Budget.ImageTokens,
        LargestMaxNewTokens = (uint)Budget.LargestMaxNewTokens,
    };
}
