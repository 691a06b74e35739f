using LlavaRad.Model.Training;

namespace LlavaRad.Training.Tests;

/// <summary>A few steps of every stage on a tiny model: what CI runs instead of the full training.</summary>
public sealed class TrainingSmokeTests
{
    [Fact]
    public void EveryStageLowersItsLossAndOnlyTouchesWhatItTrains()
    {
        using var dir = new TempDirectory();
        var (config, examples, _) = TinyTraining.Data(dir.Path);
        using var model = TrainableParameters.Initialize(config, seed: 2);
        var trainer = new Trainer(model, examples, TinyTraining.Settings(steps: 30));
        // Select layer -2 of 2 blocks: block 0 runs, block 1 and the final norm are never computed, so never trained.
        string[] vision = ["model.vision_tower.blocks.0.", "model.vision_tower.patch_embed.", "model.vision_tower.pos_embed"], projector = ["model.mm_projector."], lm = ["model.layers.", "lm_head.", "model.embed_tokens."];

        var before = Snapshot(model);
        var stage = trainer.PretrainVision();
        Assert.True(stage.LastLoss < stage.FirstLoss, $"{stage}");
        AssertChanged(model, before, vision, changed: true);
        AssertChanged(model, before, [.. projector, .. lm], changed: false);

        before = Snapshot(model);
        stage = trainer.PretrainText();
        Assert.True(stage.LastLoss < stage.FirstLoss * 0.8, $"{stage}");
        AssertChanged(model, before, lm, changed: true);
        AssertChanged(model, before, [.. vision, .. projector], changed: false);

        before = Snapshot(model);
        stage = trainer.AlignProjector();
        Assert.True(stage.LastLoss < stage.FirstLoss, $"{stage}");
        AssertChanged(model, before, projector, changed: true);
        AssertChanged(model, before, [.. vision, .. lm], changed: false);

        before = Snapshot(model);
        stage = trainer.FineTuneWithLora();
        Assert.True(stage.LastLoss < stage.FirstLoss, $"{stage}");
        AssertChanged(model, before, ["model.layers.0.self_attn.q_proj.", "model.layers.1.mlp.down_proj.", .. projector], changed: true);
        AssertChanged(model, before, [.. vision, "lm_head.", "model.embed_tokens.", "model.layers.0.input_layernorm."], changed: false);
    }

    [Fact]
    public void TwoRunsWithTheSameSeedsGiveBitIdenticalWeights()
    {
        using var dir = new TempDirectory();
        var (config, examples, _) = TinyTraining.Data(dir.Path, cases: 12);
        byte[] Run(string file)
        {
            using var model = TrainableParameters.Initialize(config, seed: 2);
            new Trainer(model, examples, TinyTraining.Settings(steps: 4)).RunAll();
            model.SaveWeights(file);
            return File.ReadAllBytes(file);
        }
        Assert.Equal(Run(dir.File("a.safetensors")), Run(dir.File("b.safetensors")));
    }

    private static Dictionary<string, float[]> Snapshot(TrainableParameters model) =>
        model.All.ToDictionary(p => p.Key, p => p.Value.detach().data<float>().ToArray());

    private static void AssertChanged(TrainableParameters model, Dictionary<string, float[]> before, string[] prefixes, bool changed)
    {
        foreach (var (name, values) in before.Where(p => prefixes.Any(prefix => p.Key.StartsWith(prefix, StringComparison.Ordinal))))
        {
            var now = model.All[name].detach().data<float>().ToArray();
            Assert.True(changed != now.SequenceEqual(values), $"{name} should {(changed ? "" : "not ")}change");
        }
    }
}
