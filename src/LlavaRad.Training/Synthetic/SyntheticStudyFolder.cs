using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlavaRad.Training.Synthetic;

/// <summary>
/// Writes generated cases to disk: one Part 10 file per case (NAME.dcm) and cases.jsonl with, per line, the file,
/// the findings and the reference text. `llavarad synth` uses it; so do tests that check the files with pydicom.
/// </summary>
public static class SyntheticStudyFolder
{
    public const string IndexFile = "cases.jsonl";

    public static void Write(string directory, IEnumerable<SyntheticCase> cases, Action<int>? progress = null)
    {
        Directory.CreateDirectory(directory);
        using var index = new StreamWriter(Path.Combine(directory, IndexFile));
        var written = 0;
        foreach (var c in cases)
        {
            File.WriteAllBytes(Path.Combine(directory, c.Name + ".dcm"), c.Dicom);
            index.WriteLine(Describe(c).ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            progress?.Invoke(++written);
        }
    }

    public static JsonObject Describe(SyntheticCase c) => new()
    {
        ["file"] = c.Name + ".dcm",
        ["cardiomegaly"] = c.Findings.Cardiomegaly,
        ["cardiothoracic_ratio"] = Math.Round(c.CardiothoracicRatio, 3),
        ["effusion"] = c.Findings.Effusion.ToString().ToLowerInvariant(),
        ["effusion_size"] = c.Findings.Effusion == Side.None ? null : c.EffusionSize.ToString().ToLowerInvariant(),
        ["pneumothorax"] = c.Findings.Pneumothorax.ToString().ToLowerInvariant(),
        ["consolidation"] = c.Findings.Consolidation.ToString(),
        ["device"] = c.Findings.Device.ToString(),
        ["findings"] = c.FindingsText,
    };
}
