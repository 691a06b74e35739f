using LlavaRad.Model;

namespace LlavaRad.Training;

/// <summary>A servable copy of a committed trained model: its files plus the tokenizer rebuilt from its word list.</summary>
public static class TrainedModelCopy
{
    public static string To(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source).Where(f => Path.GetFileName(f) != ModelDirectory.TokenizerFile))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        ReportVocabulary.RestoreTokenizer(target);
        return target;
    }
}
