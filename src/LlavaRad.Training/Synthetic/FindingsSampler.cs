namespace LlavaRad.Training.Synthetic;

/// <summary>
/// Draws the findings of one case. About a quarter of cases are normal; abnormal ones get each finding
/// independently, so combinations (cardiomegaly with bilateral effusions, a line with a pneumothorax) occur.
/// </summary>
public static class FindingsSampler
{
    public static SyntheticFindings Draw(Random random)
    {
        var device = random.NextDouble() < 0.3 ? (SupportDevice)(1 + random.Next(3)) : SupportDevice.None;
        if (random.NextDouble() < 0.25) return SyntheticFindings.Normal with { Device = device };
        return new SyntheticFindings(
            Cardiomegaly: random.NextDouble() < 0.35,
            Effusion: random.NextDouble() < 0.4 ? (Side)(1 + random.Next(3)) : Side.None,
            Pneumothorax: random.NextDouble() < 0.25 ? (Side)(1 + random.Next(2)) : Side.None,
            Consolidation: random.NextDouble() < 0.3 ? (ConsolidationSite)(1 + random.Next(3)) : ConsolidationSite.None,
            Device: device);
    }
}
