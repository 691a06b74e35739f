using LlavaRad.Model.Architecture;
using LlavaRad.Model.Generation;
using LlavaRad.Model.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Model.Tests;

/// <summary>The reference generator and the continuous batcher refuse the same bad requests, with the same words, before any work.</summary>
public sealed class RequestChecksTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LlavaRadModel _model;
    private readonly SentencePieceTokenizer _tokenizer;

    public RequestChecksTests()
    {
        TinyModelWriter.Write(_dir.Path, TinyModelWriter.DefaultConfig, seed: 21);
        var directory = ModelDirectory.Open(_dir.Path);
        _model = LlavaRadModel.Load(directory, CPU);
        _tokenizer = SentencePieceTokenizer.Load(directory.TokenizerPath);
    }

    public void Dispose()
    {
        _model.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("two slots", "more than one image slot")]
    [InlineData("slot without image", "image slot (-200) but no image was given")]
    [InlineData("two slots without image", "more than one image slot")] // the two paths once named different problems here
    [InlineData("too long", "exceeds max_position_embeddings")]
    [InlineData("stop strings without tokenizer", "stop strings need a tokenizer")]
    public void BothPathsRefuseTheRequestWithTheSameMessage(string problem, string expected)
    {
        var size = _model.Config.VisionConfig.ImageSize;
        var pixels = randn([1, 3, size, size], generator: new torch.Generator(5));
        var prompt = PromptTemplate.IdsFor(_tokenizer, "cough");
        var tokenizer = _tokenizer;
        var options = new GenerationOptions { MaxNewTokens = 4 };
        var request = new GenerationRequest(pixels, prompt);
        switch (problem)
        {
            case "two slots": request = request with { PromptIds = [.. prompt, LlavaRadModel.ImageTokenIndex] }; break;
            case "slot without image": request = request with { Pixels = null }; break;
            case "two slots without image": request = new GenerationRequest(null, [.. prompt, LlavaRadModel.ImageTokenIndex]); break;
            case "too long": options = options with { MaxNewTokens = _model.Config.TextConfig.MaxPositionEmbeddings }; break;
            case "stop strings without tokenizer": (tokenizer, options) = (null, options with { StopStrings = ["."] }); break;
        }

        var generator = Assert.Throws<ArgumentException>(() => new TextGenerator(_model, tokenizer).Generate(request, options));
        using var batcher = new ContinuousBatcher(_model, tokenizer, new BatcherOptions());
        // SubmitAsync refuses at once, before it queues anything (no faulted task to await).
        Action submit = () => _ = batcher.SubmitAsync(request, options, new QueueTicket(0, "routine"));
        var batched = Assert.Throws<ArgumentException>(submit);

        Assert.Contains(expected, generator.Message);
        Assert.Equal(generator.Message, batched.Message);
    }
}
