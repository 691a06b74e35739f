namespace LlavaRad.Findings;

/// <summary>The observation names as CheXpert (and CheXbert's label order) spell them, e.g. "Enlarged Cardiomediastinum".</summary>
public static class ObservationNames
{
    private static readonly Dictionary<Observation, string> Names = new()
    {
        [Observation.EnlargedCardiomediastinum] = "Enlarged Cardiomediastinum",
        [Observation.Cardiomegaly] = "Cardiomegaly",
        [Observation.LungOpacity] = "Lung Opacity",
        [Observation.LungLesion] = "Lung Lesion",
        [Observation.Edema] = "Edema",
        [Observation.Consolidation] = "Consolidation",
        [Observation.Pneumonia] = "Pneumonia",
        [Observation.Atelectasis] = "Atelectasis",
        [Observation.Pneumothorax] = "Pneumothorax",
        [Observation.PleuralEffusion] = "Pleural Effusion",
        [Observation.PleuralOther] = "Pleural Other",
        [Observation.Fracture] = "Fracture",
        [Observation.SupportDevices] = "Support Devices",
        [Observation.NoFinding] = "No Finding",
    };

    /// <summary>All 14, in CheXpert's order.</summary>
    public static IReadOnlyList<Observation> All { get; } = Enum.GetValues<Observation>();

    /// <summary>The paper's "-5" subset (spec section 7).</summary>
    public static IReadOnlyList<Observation> FiveLabelSubset { get; } =
    [
        Observation.Cardiomegaly, Observation.Edema, Observation.Consolidation, Observation.Atelectasis,
        Observation.PleuralEffusion,
    ];

    public static string DisplayName(this Observation observation) => Names[observation];

    /// <summary>Accepts the display name ("Pleural Effusion") or the enum name ("PleuralEffusion"), any case.</summary>
    public static bool TryParse(string name, out Observation observation)
    {
        foreach (var (key, display) in Names)
            if (string.Equals(display, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(key.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                observation = key;
                return true;
            }
        observation = default;
        return false;
    }

    public static Observation Parse(string name) =>
        TryParse(name, out var observation) ? observation : throw new FormatException($"\"{name}\" is not one of the 14 CheXpert observations");
}
