using LlavaRad.Model.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Model.Architecture;

/// <summary>
/// LLaVA-Rad: vision tower -> mlp2x_gelu projector -> image rows spliced into the prompt at the -200 slot ->
/// LLaMA decoder. Inference only; weights live on one device in one dtype.
/// </summary>
public sealed class LlavaRadModel : IDisposable
{
    /// <summary>LLaVA's IMAGE_TOKEN_INDEX: the one prompt id that stands for all projected image rows.</summary>
    public const long ImageTokenIndex = -200;

    private readonly Dictionary<string, Tensor> _tensors;
    private readonly VisionTower _vision;
    private readonly MlpProjector _projector;

    private LlavaRadModel(ModelConfig config, Dictionary<string, Tensor> tensors, Device device, ScalarType dtype)
    {
        Config = config;
        Device = device;
        Dtype = dtype;
        _tensors = tensors;
        var w = new Weights(tensors);
        _vision = new VisionTower(w.Under(CheckpointLayout.VisionPrefix), config.VisionConfig, config.MmVisionSelectLayer);
        _projector = new MlpProjector(w.Under("model.mm_projector."));
        Decoder = new LlamaDecoder(w, config.TextConfig, device);
    }

    public ModelConfig Config { get; }
    public Device Device { get; }
    public ScalarType Dtype { get; }
    public LlamaDecoder Decoder { get; }

    /// <summary>
    /// Validates every tensor of the directory against the config, then loads what inference uses. Default dtype:
    /// fp32 on the CPU (half precision is slow and inexact there), the checkpoint's torch_dtype on CUDA.
    /// </summary>
    public static LlavaRadModel Load(ModelDirectory directory, Device device, ScalarType? dtype = null)
    {
        var chosen = dtype ?? DefaultDtype(directory.Config, device);
        var blocks = VisionTower.BlocksComputed(directory.Config.VisionConfig, directory.Config.MmVisionSelectLayer);
        var unused = Enumerable.Range(blocks, directory.Config.VisionConfig.NumHiddenLayers - blocks)
            .Select(i => $"{CheckpointLayout.VisionPrefix}blocks.{i}.").Append(CheckpointLayout.VisionPrefix + "norm.").ToList();
        using var noGrad = torch.no_grad();
        var tensors = CheckpointLoader.Load(directory, device, chosen, name => !unused.Any(p => name.StartsWith(p, StringComparison.Ordinal)));
        return new LlavaRadModel(directory.Config, tensors, device, chosen);
    }

    /// <summary>fp32 on the CPU (half precision is slow and inexact there), the checkpoint's torch_dtype on CUDA.</summary>
    public static ScalarType DefaultDtype(ModelConfig config, Device device) =>
        device.type == DeviceType.CUDA ? SafetensorsFile.ScalarType(SafetensorsFile.DtypeOf(config.TorchDtype)) : ScalarType.Float32;

    /// <summary>Bytes the loaded weights hold on the device (what the memory plan's weight line predicts).</summary>
    public long WeightBytes => _tensors.Values.Sum(t => t.numel() * t.ElementSize);

    /// <summary>Vision features before the projector: [B, 3, S, S] -> [B, N, Cv].</summary>
    public Tensor VisionFeatures(Tensor pixels) => _vision.Forward(pixels.to(Dtype, Device));

    /// <summary>Projected image rows, ready to splice: [B, 3, S, S] -> [B, N, D].</summary>
    public Tensor EncodeImages(Tensor pixels) => _projector.Forward(VisionFeatures(pixels));

    public Tensor Project(Tensor features) => _projector.Forward(features);

    /// <summary>Image rows spliced in at the slot: one per vision patch, (S / P)^2.</summary>
    public int ImageRows
    {
        get
        {
            var side = Config.VisionConfig.ImageSize / Config.VisionConfig.PatchSize;
            return side * side;
        }
    }

    /// <summary>Where the prompt's one -200 slot is (-1: none); throws for a second slot, or for a slot without an image.</summary>
    public static int ImageSlot(IReadOnlyList<long> ids, bool hasImage)
    {
        var slot = ids.ToList().IndexOf(ImageTokenIndex);
        if (slot < 0) return slot;
        if (ids.Skip(slot + 1).Contains(ImageTokenIndex)) throw new ArgumentException("the prompt has more than one image slot");
        if (!hasImage) throw new ArgumentException("the prompt has an image slot (-200) but no image was given");
        return slot;
    }

    /// <summary>Decoder positions the prompt takes once its slot is replaced by the <see cref="ImageRows"/>.</summary>
    public long PromptPositions(IReadOnlyList<long> ids, bool hasImage) =>
        ImageSlot(ids, hasImage) < 0 ? ids.Count : ids.Count - 1 + ImageRows;

    /// <summary>
    /// Prompt ids (one -200 slot at most) -> input embeddings [L, D]: text embeddings before the slot, the N image
    /// rows, text embeddings after (LLaVA prepare_inputs_labels_for_multimodal).
    /// </summary>
    public Tensor EmbedPrompt(IReadOnlyList<long> ids, Tensor? imageRows)
    {
        var slot = ImageSlot(ids, imageRows is not null);
        if (slot < 0) return Decoder.Embed(tensor(ids.ToArray(), device: Device));
        var before = Decoder.Embed(tensor(ids.Take(slot).ToArray(), device: Device));
        var after = Decoder.Embed(tensor(ids.Skip(slot + 1).ToArray(), device: Device));
        return torch.cat([before, imageRows!.to(Dtype), after], 0); // ImageSlot refused a slot without an image
    }

    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
    }
}
