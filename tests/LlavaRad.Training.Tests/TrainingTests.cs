using LlavaRad.Model;
using LlavaRad.Model.Generation;
using LlavaRad.Model.Preprocessing;
using LlavaRad.Model.Training;
using LlavaRad.Training.Synthetic;
using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Training.Tests;

public sealed class TrainingTests
{
    [Fact]
    public void TheCosineScheduleWarmsUpLinearlyPeaksAndDecaysToItsFloor()
    {
        var schedule = new CosineSchedule(Peak: 1.0, WarmupSteps: 10, TotalSteps: 110, Min: 0.1);
        Assert.Equal(0.1, schedule.At(0), 9);
        Assert.Equal(0.5, schedule.At(4), 9);
        Assert.Equal(1.0, schedule.At(10), 9);
        Assert.Equal(0.55, schedule.At(60), 9);   // half way through the decay: min + (peak - min) / 2
        Assert.Equal(0.1, schedule.At(110), 9);
        Assert.True(schedule.At(30) > schedule.At(31));
    }

    [Fact]
    public void ANewLoraAdapterLeavesTheWeightsUnchangedAndMergingGivesWhatTrainingSaw()
    {
        using var dir = new TempDirectory();
        var (config, _, _) = TinyTraining.Data(dir.Path, cases: 4);
        using var model = TrainableParameters.Initialize(config, seed: 1);
        using var lora = new LoraAdapters(model, rank: 4, alpha: 8, seed: 2);
        const string name = "model.layers.1.mlp.down_proj.weight";
        Assert.True(lora.Apply(model.AsTensors())[name].allclose(model.All[name], rtol: 0, atol: 0));

        using (torch.no_grad())
            foreach (var p in lora.Parameters) p.add_(torch.randn(p.shape, generator: new torch.Generator(9)).mul_(0.1)); // as if trained
        var effective = lora.Apply(model.AsTensors())[name].detach().clone();
        Assert.False(effective.allclose(model.All[name]));
        lora.MergeInto(model);
        Assert.True(model.All[name].allclose(effective, rtol: 1e-5, atol: 1e-6));
    }

    /// <summary>
    /// The training forward pass (all positions, no cache) and the inference path (prefill + KV cache, greedy) must be
    /// the same model: greedy tokens chosen from training logits equal the tokens `FindingsModel.Generate` emits.
    /// </summary>
    [Fact]
    public void GreedyDecodingWithTheTrainingForwardPassMatchesTheInferenceGenerator()
    {
        using var dir = new TempDirectory();
        var (config, _, tokenizer) = TinyTraining.Data(dir.Path, cases: 4);
        using var model = TrainableParameters.Initialize(config, seed: 17);
        using (torch.no_grad()) foreach (var p in model.All.Values) p.add_(torch.randn(p.shape, generator: new torch.Generator(4)).mul_(0.05)); // break symmetric norms
        config.Save(Path.Combine(dir.Path, ModelDirectory.ConfigFile));
        model.SaveWeights(Path.Combine(dir.Path, ModelDirectory.SingleWeightsFile));
        var image = SyntheticImageReader.Read(new SyntheticCaseGenerator(1, 64).Generate(0).Dicom);

        using var findings = FindingsModel.Load(dir.Path, CPU);
        var expected = findings.Generate(image, null, new GenerationOptions { MaxNewTokens = 6 }).TokenIds;

        using var noGrad = torch.no_grad();
        var forward = new TrainingForward(config, model.AsTensors(), new LlavaRad.Model.Architecture.RotaryEmbedding(config.TextConfig.HeadDim, 512, 10000, CPU));
        var pixels = ImagePreprocessor.ToModelInput(image, config);
        var rows = forward.Project(forward.VisionFeatures(pixels))[0];
        var prompt = findings.PromptIds(null);
        var slot = prompt.IndexOf(LlavaRad.Model.Architecture.LlavaRadModel.ImageTokenIndex);
        var generated = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            var after = prompt.Skip(slot + 1).Concat(generated.Select(t => (long)t)).ToArray();
            var embeds = cat([forward.Embed(tensor(prompt.Take(slot).ToArray())), rows, forward.Embed(tensor(after))], 0).unsqueeze(0);
            generated.Add((int)forward.Logits(embeds)[0, -1].argmax().item<long>());
        }
        Assert.Equal(expected.ToList(), generated.Take(expected.Count).ToList());
    }
}
