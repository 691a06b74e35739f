using LlavaRad.Model;
using LlavaRad.Model.Tokenization;
using LlavaRad.Model.Training;
using LlavaRad.Training.Synthetic;

namespace LlavaRad.Training.Tests;

/// <summary>A very small model and data set so that training steps take milliseconds in CI.</summary>
public static class TinyTraining
{
    public static ModelConfig Config(int vocabSize) => SyntheticModelConfig.Create(vocabSize, "test") with
    {
        TextConfig = SyntheticModelConfig.Create(vocabSize, "test").TextConfig with
        {
            HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 2, NumKeyValueHeads = 1, MaxPositionEmbeddings = 512,
        },
        VisionConfig = new VisionConfig { ImageSize = 32, PatchSize = 16, HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 64 },
    };

    /// <summary>Cases, a tokenizer written to <paramref name="directory"/>, and the examples built from them.</summary>
    public static (ModelConfig Config, List<TrainingExample> Examples, SentencePieceTokenizer Tokenizer) Data(string directory, int cases = 24)
    {
        var generator = new SyntheticCaseGenerator(seed: 5, imageSize: 64);
        var generated = Enumerable.Range(0, cases).Select(i => generator.Generate(i)).ToList();
        var words = ReportVocabulary.Words(generated.Select(c => c.FindingsText).Append(PromptTemplate.Prompt(null)));
        var vocab = ReportVocabulary.WriteTokenizer(Path.Combine(directory, ModelDirectory.TokenizerFile), words);
        var tokenizer = SentencePieceTokenizer.Load(Path.Combine(directory, ModelDirectory.TokenizerFile));
        var config = Config(vocab);
        return (config, SyntheticTrainingSet.Build(generated, config, tokenizer, seed: 5), tokenizer);
    }

    public static TrainingSettings Settings(int steps, int batch = 4) => new()
    {
        Seed = 3,
        VisionPretraining = new StageSettings(steps, 3e-3, batch),
        TextPretraining = new StageSettings(steps, 3e-3, batch),
        Alignment = new StageSettings(steps, 3e-3, batch),
        LoraFineTuning = new StageSettings(steps, 3e-3, batch),
        LoraRank = 4,
        LoraAlpha = 8,
    };
}
