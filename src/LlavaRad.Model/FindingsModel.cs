using LlavaRad.Model.Architecture;
using LlavaRad.Model.Generation;
using LlavaRad.Model.Preprocessing;
using LlavaRad.Model.Tokenization;
using TorchSharp;

namespace LlavaRad.Model;

/// <summary>
/// The model-level API the CLI and the inference node call: a loaded canonical directory that turns an 8-bit image
/// and an optional indication into findings text with the LLaVA-Rad evaluation recipe (preprocessing, Vicuna v1
/// prompt, greedy decoding unless options say otherwise).
/// </summary>
public sealed class FindingsModel : IDisposable
{
    private FindingsModel(ModelDirectory directory, LlavaRadModel model, SentencePieceTokenizer tokenizer)
    {
        Directory = directory;
        Model = model;
        Tokenizer = tokenizer;
        Generator = new TextGenerator(model, tokenizer);
    }

    public ModelDirectory Directory { get; }
    public LlavaRadModel Model { get; }
    public SentencePieceTokenizer Tokenizer { get; }
    public TextGenerator Generator { get; }

    /// <summary>Opens and validates the directory (config, every tensor, tokenizer) and loads it onto the device.</summary>
    public static FindingsModel Load(string path, torch.Device device, torch.ScalarType? dtype = null)
    {
        var directory = ModelDirectory.Open(path);
        if (!directory.HasTokenizer)
            throw new InvalidModelException(InvalidModelException.MissingFile, $"model directory {path} has no {ModelDirectory.TokenizerFile}");
        var tokenizer = SentencePieceTokenizer.Load(directory.TokenizerPath);
        if (tokenizer.VocabSize != directory.Config.TextConfig.VocabSize)
            throw new InvalidModelException(InvalidModelException.BadTokenizer,
                $"{directory.TokenizerPath} has {tokenizer.VocabSize} pieces but config vocab_size is {directory.Config.TextConfig.VocabSize}");
        return new FindingsModel(directory, LlavaRadModel.Load(directory, device, dtype), tokenizer);
    }

    /// <summary>Prompt ids for an optional indication, with the one -200 image slot.</summary>
    public List<long> PromptIds(string? indication) => PromptTemplate.IdsFor(Tokenizer, indication);

    public GenerationResult Generate(PixelImage image, string? indication, GenerationOptions? options = null,
        Action<GeneratedToken>? onToken = null, CancellationToken cancellationToken = default)
    {
        using var pixels = ImagePreprocessor.ToModelInput(image, Model.Config);
        return Generator.Generate(new GenerationRequest(pixels, PromptIds(indication)), options ?? new GenerationOptions(), onToken, cancellationToken);
    }

    /// <summary>Several requests in one batch (padded); each gets the tokens it would get alone.</summary>
    public IReadOnlyList<GenerationResult> GenerateBatch(IReadOnlyList<(PixelImage Image, string? Indication)> requests,
        GenerationOptions? options = null, Action<int, GeneratedToken>? onToken = null, CancellationToken cancellationToken = default)
    {
        var pixels = requests.Select(r => ImagePreprocessor.ToModelInput(r.Image, Model.Config)).ToList();
        try
        {
            var batch = requests.Select((r, i) => new GenerationRequest(pixels[i], PromptIds(r.Indication))).ToList();
            return Generator.GenerateBatch(batch, options ?? new GenerationOptions(), onToken, cancellationToken);
        }
        finally
        {
            foreach (var p in pixels) p.Dispose();
        }
    }

    public void Dispose() => Model.Dispose();
}
