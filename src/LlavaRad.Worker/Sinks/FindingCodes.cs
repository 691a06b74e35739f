using LlavaRad.Fhir.WriteBack;
using LlavaRad.Findings;
using LlavaRad.Imaging.Sr;

namespace LlavaRad.Worker.Sinks;

/// <summary>
/// The CheXpert observations as SR codes and FHIR codings: SNOMED CT where one concept matches, else a code of this
/// project's private scheme (PS3.3 8.2: "99" designators are local). One table for both, so the SR and the FHIR
/// findings never disagree. [verify SNOMED CT codes against a terminology server]
/// </summary>
public static class FindingCodes
{
    public const string PrivateScheme = "99LLAVARAD";

    private static readonly Dictionary<Observation, SrCode> Snomed = new()
    {
        [Observation.Cardiomegaly] = new("8186001", "SCT", "Cardiomegaly"),
        [Observation.Edema] = new("19242006", "SCT", "Pulmonary edema"),
        [Observation.Consolidation] = new("95436008", "SCT", "Lung consolidation"),
        [Observation.Pneumonia] = new("233604007", "SCT", "Pneumonia"),
        [Observation.Atelectasis] = new("46621007", "SCT", "Atelectasis"),
        [Observation.Pneumothorax] = new("36118008", "SCT", "Pneumothorax"),
        [Observation.PleuralEffusion] = new("60046008", "SCT", "Pleural effusion"),
        [Observation.Fracture] = new("125605004", "SCT", "Fracture of bone"),
    };

    public const string SnomedSystem = "http://snomed.info/sct";

    public static SrCode For(Observation observation) =>
        Snomed.TryGetValue(observation, out var code) ? code : new(observation.ToString(), PrivateScheme, observation.DisplayName());

    /// <summary>The observation's SNOMED CT coding for FHIR, or null where SNOMED CT has no single matching concept.</summary>
    public static CodedConcept? Standard(Observation observation) =>
        Snomed.TryGetValue(observation, out var code) ? new CodedConcept(SnomedSystem, code.Value, code.Meaning) : null;
}
