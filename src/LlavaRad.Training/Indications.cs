namespace LlavaRad.Training;

/// <summary>
/// Reasons for exam mixed into half of the training prompts, drawn independently of the findings, so the model must
/// read the image and learns to ignore an indication it cannot check.
/// </summary>
public static class Indications
{
    public static readonly IReadOnlyList<string> All =
    [
        "Shortness of breath, evaluate for pneumonia", "Cough and fever", "Chest pain", "Intubated patient, assess tube position",
        "Rule out pneumothorax", "Pre-operative assessment", "Follow-up of pleural effusion", "Dyspnea and hypoxia",
        "Line placement", "Heart failure, evaluate for edema", "Trauma", "Pacemaker check",
    ];

    public static string? Draw(Random random) => random.NextDouble() < 0.5 ? null : All[random.Next(All.Count)];
}
