namespace LlavaRad.Training.Synthetic;

/// <summary>One generated study: its findings, the reference findings text and the DICOM Part 10 file.</summary>
public sealed record SyntheticCase(int Index, SyntheticFindings Findings, Severity EffusionSize, double CardiothoracicRatio, string FindingsText, byte[] Dicom)
{
    public string Name => $"synthetic-{Index:D5}";
}

/// <summary>
/// Deterministic: case <c>index</c> of a set made with <c>seed</c> is the same on every machine (System.Random with
/// a seed is a fixed algorithm), so a training run can be reproduced from (seed, count, generator version).
/// </summary>
public sealed class SyntheticCaseGenerator(int seed, int imageSize = 256)
{
    /// <summary>Bumped whenever images or texts change; recorded in the trained model's manifest.</summary>
    public const string Version = "synthetic-cxr-1";

    public SyntheticCase Generate(int index, SyntheticFindings? findings = null)
    {
        var random = new Random(HashCode(seed, index));
        var f = findings ?? FindingsSampler.Draw(random);
        var effusionSize = (Severity)random.Next(3);
        var phantom = new ChestPhantom(f, effusionSize, random);
        var density = phantom.Render(imageSize, imageSize, random);
        var pixels = density.Select(x => (ushort)Math.Round(40 + x * 4000)).ToArray();
        var name = $"{Version}/{seed}/{index}";
        var dicom = Part10Writer.Write(new Part10Writer.Image(
            PatientName: $"Synthetic^Case{index:D5}", PatientId: $"SYN{seed}-{index:D5}",
            StudyUid: Part10Writer.UidFor(name + "/study"), SeriesUid: Part10Writer.UidFor(name + "/series"),
            SopInstanceUid: Part10Writer.UidFor(name + "/instance"), Rows: imageSize, Columns: imageSize, Pixels: pixels, BitsStored: 12));
        var text = FindingsTextWriter.Write(f, effusionSize, random);
        return new SyntheticCase(index, f, effusionSize, phantom.CardiothoracicRatio, text, dicom);
    }

    private static int HashCode(int a, int b) => unchecked((int)(((uint)a * 2654435761u) ^ ((uint)b * 40503u + 0x9E3779B9u)));
}
