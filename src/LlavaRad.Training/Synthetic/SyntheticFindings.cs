namespace LlavaRad.Training.Synthetic;

public enum Side { None, Left, Right, Both }

public enum ConsolidationSite { None, RightLowerLobe, LeftLowerLobe, RightUpperLobe }

public enum SupportDevice { None, EndotrachealTube, CentralLine, Pacemaker }

/// <summary>
/// What one synthetic radiograph shows. Sides are the patient's (image left = patient right, as on a PA film).
/// Pneumothorax is one-sided (Left or Right); effusion may be Both.
/// </summary>
public sealed record SyntheticFindings(
    bool Cardiomegaly,
    Side Effusion,
    Side Pneumothorax,
    ConsolidationSite Consolidation,
    SupportDevice Device)
{
    public static readonly SyntheticFindings Normal = new(false, Side.None, Side.None, ConsolidationSite.None, SupportDevice.None);

    public bool IsNormal => this with { Device = SupportDevice.None } == Normal;
}
