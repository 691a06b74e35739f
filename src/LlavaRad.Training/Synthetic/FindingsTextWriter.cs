namespace LlavaRad.Training.Synthetic;

/// <summary>
/// Writes the findings section a radiologist might dictate for <see cref="SyntheticFindings"/>: lines and tubes
/// first, then heart, lungs and pleura, every absent finding of interest stated as a pertinent negative. Each
/// statement has several phrasings, picked at random, so the model learns the finding rather than a sentence.
/// </summary>
public static class FindingsTextWriter
{
    public static string Write(SyntheticFindings f, Severity effusionSize, Random random)
    {
        var sentences = new List<string>();
        string Pick(params string[] options) => options[random.Next(options.Length)];

        switch (f.Device)
        {
            case SupportDevice.EndotrachealTube:
                sentences.Add(Pick("An endotracheal tube is in place, terminating above the carina.", "Endotracheal tube in standard position.",
                    "The endotracheal tube tip is in the mid trachea."));
                break;
            case SupportDevice.CentralLine:
                sentences.Add(Pick("A right internal jugular central venous catheter ends in the superior vena cava.",
                    "Right internal jugular central line with tip in the SVC.", "A right-sided central venous catheter terminates in the SVC."));
                break;
            case SupportDevice.Pacemaker:
                sentences.Add(Pick("A left chest wall pacemaker is present with leads in the right heart.", "Left-sided pacemaker with leads in standard position.",
                    "There is a left pectoral pacemaker."));
                break;
        }

        sentences.Add(f.Cardiomegaly
            ? Pick("The heart is enlarged.", "There is cardiomegaly.", "Moderate cardiomegaly.", "The cardiac silhouette is enlarged.")
            : Pick("Heart size is normal.", "The heart size is within normal limits.", "Normal heart size.", "The cardiac silhouette is normal in size."));

        if (f.Consolidation != ConsolidationSite.None)
        {
            var lobe = f.Consolidation switch
            {
                ConsolidationSite.RightLowerLobe => "right lower lobe",
                ConsolidationSite.LeftLowerLobe => "left lower lobe",
                _ => "right upper lobe",
            };
            sentences.Add(Pick($"There is consolidation in the {lobe}.", $"Focal consolidation in the {lobe}.", $"{Capital(lobe)} consolidation is present."));
        }
        else
        {
            sentences.Add(Pick("No focal consolidation.", "The lungs are clear without focal consolidation.", "There is no focal consolidation."));
        }

        if (f.Effusion != Side.None)
        {
            var size = effusionSize.ToString().ToLowerInvariant();
            sentences.Add(f.Effusion == Side.Both
                ? Pick($"There are {size} bilateral pleural effusions.", $"{Capital(size)} bilateral pleural effusions.", "Bilateral pleural effusions are present.")
                : Pick($"There is a {size} {SideWord(f.Effusion)} pleural effusion.", $"{Capital(size)} {SideWord(f.Effusion)} pleural effusion.",
                    $"{Capital(SideWord(f.Effusion))} pleural effusion with blunting of the costophrenic angle."));
        }
        if (f.Pneumothorax != Side.None)
            sentences.Add(Pick($"There is a {SideWord(f.Pneumothorax)} pneumothorax.", $"{Capital(SideWord(f.Pneumothorax))} apical pneumothorax is present.",
                $"A {SideWord(f.Pneumothorax)}-sided pneumothorax is seen."));

        if (f.Effusion == Side.None && f.Pneumothorax == Side.None)
            sentences.Add(Pick("No pleural effusion or pneumothorax.", "There is no pleural effusion or pneumothorax.", "No pleural effusion. No pneumothorax."));
        else if (f.Effusion == Side.None)
            sentences.Add(Pick("No pleural effusion.", "There is no pleural effusion."));
        else if (f.Pneumothorax == Side.None)
            sentences.Add(Pick("No pneumothorax.", "There is no pneumothorax."));

        if (f.IsNormal && random.NextDouble() < 0.5) sentences.Add("No acute cardiopulmonary process.");
        return string.Join(" ", sentences);
    }

    private static string SideWord(Side side) => side == Side.Left ? "left" : "right";

    private static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}

public enum Severity { Small, Moderate, Large }
