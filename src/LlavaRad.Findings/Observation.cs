namespace LlavaRad.Findings;

/// <summary>The 14 CheXpert observations, in CheXpert's order.</summary>
public enum Observation
{
    EnlargedCardiomediastinum,
    Cardiomegaly,
    LungOpacity,
    LungLesion,
    Edema,
    Consolidation,
    Pneumonia,
    Atelectasis,
    Pneumothorax,
    PleuralEffusion,
    PleuralOther,
    Fracture,
    SupportDevices,
    NoFinding,
}
