using LlavaRad.Model;
using LlavaRad.Training;

namespace LlavaRad.Cli;

/// <summary>
/// The model the demo serves: --model DIR when given; else the model trained on synthetic radiographs that the
/// repository ships (models/tiny-synthetic-cxr, reproducible with `llavarad train`); else, outside a checkout, the
/// tiny random-weight model written into the output folder.
/// </summary>
public static class DemoModel
{
    public const string TrainedFolder = "models/tiny-synthetic-cxr";
    private const ulong TinyModelSeed = 20240315;

    public sealed record Choice(string Directory, string Description, bool Trained);

    /// <summary>The served model ends up in OUT/model (a copy of the trained one), so the output folder is self-contained.</summary>
    public static Choice Choose(string? explicitPath, string outDir)
    {
        var modelDir = Path.Combine(outDir, "model");
        if (explicitPath is not null)
            return Directory.Exists(explicitPath) ? new Choice(explicitPath, $"using the model in {explicitPath}", Trained: true)
                : throw new CommandFailedException($"model folder {explicitPath} does not exist");
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, TrainedFolder);
                if (File.Exists(Path.Combine(candidate, ModelDirectory.ConfigFile)))
                    return new Choice(TrainedModelCopy.To(candidate, modelDir), $"copied the tiny model trained on synthetic radiographs ({candidate}) to {modelDir}", Trained: true);
            }
        TinyModelWriter.Write(modelDir, TinyModelWriter.DefaultConfig, TinyModelSeed);
        return new Choice(modelDir, $"no trained model found; wrote the built-in tiny model (random weights) to {modelDir}", Trained: false);
    }
}
