using System.Text.Json;
using LlavaRad.Findings;
using LlavaRad.Training.Synthetic;

namespace LlavaRad.Cli;

/// <summary>
/// The demo's in-distribution studies: <see cref="CasesFile"/> in the studies folder lists hand-chosen findings,
/// and the training phantom renders each as a DICOM study. The listed findings are the ground truth the demo's
/// table compares the drafts with.
/// </summary>
public static class PhantomStudies
{
    public const string CasesFile = "phantom-cases.json";

    /// <summary>The five observations the phantom can draw, in the order the table names them.</summary>
    public static readonly Observation[] Drawn =
        [Observation.Cardiomegaly, Observation.PleuralEffusion, Observation.Pneumothorax, Observation.Consolidation, Observation.SupportDevices];

    public sealed record Case(string Folder, int Index, SyntheticFindings Findings)
    {
        /// <summary>The ground truth as the observations the phantom drew.</summary>
        public IReadOnlySet<Observation> Expected => new HashSet<Observation>(Drawn.Where(o => o switch
        {
            Observation.Cardiomegaly => Findings.Cardiomegaly,
            Observation.PleuralEffusion => Findings.Effusion != Side.None,
            Observation.Pneumothorax => Findings.Pneumothorax != Side.None,
            Observation.Consolidation => Findings.Consolidation != ConsolidationSite.None,
            _ => Findings.Device != SupportDevice.None,
        }));
    }

    /// <summary>The cases of <paramref name="root"/>, none when it has no <see cref="CasesFile"/>.</summary>
    public static IReadOnlyList<Case> Read(string root)
    {
        var path = Path.Combine(root, CasesFile);
        if (!File.Exists(path)) return [];
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c =>
        {
            var f = c.GetProperty("findings");
            T Word<T>(string name) where T : struct, Enum => Enum.Parse<T>(f.GetProperty(name).GetString()!);
            return new Case(c.GetProperty("folder").GetString()!, c.GetProperty("index").GetInt32(),
                new SyntheticFindings(f.GetProperty("cardiomegaly").GetBoolean(), Word<Side>("effusion"), Word<Side>("pneumothorax"),
                    Word<ConsolidationSite>("consolidation"), Word<SupportDevice>("device")));
        }).ToList();
    }

    /// <summary>Renders every case of <paramref name="root"/> into <paramref name="stagingRoot"/>/FOLDER/image.dcm.</summary>
    public static void Render(string root, string stagingRoot)
    {
        var path = Path.Combine(root, CasesFile);
        if (!File.Exists(path)) return;
        using var document = JsonDocument.Parse(File.ReadAllText(path)); // seed and size fix the pixels
        var generator = new SyntheticCaseGenerator(document.RootElement.GetProperty("seed").GetInt32(), document.RootElement.GetProperty("size").GetInt32());
        foreach (var c in Read(root))
        {
            var folder = Directory.CreateDirectory(Path.Combine(stagingRoot, c.Folder)).FullName;
            File.WriteAllBytes(Path.Combine(folder, "image.dcm"), generator.Generate(c.Index, c.Findings).Dicom);
        }
    }

    /// <summary>The drawn observations the rule labeler reads as positive in a drafted text.</summary>
    public static IReadOnlySet<Observation> Drafted(string findingsText)
    {
        var labels = new FindingsLabeler().Label(findingsText);
        return new HashSet<Observation>(Drawn.Where(o => labels.StatusOf(o) == FindingStatus.Positive));
    }

    public static string Names(IEnumerable<Observation> observations) =>
        string.Join(", ", observations.Select(o => o.DisplayName().ToLowerInvariant())) is { Length: > 0 } text ? text : "no finding";
}
