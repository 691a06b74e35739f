using LlavaRad.Fhir.Intake;
using LlavaRad.Worker.Jobs;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// A study as the later stages need it: where its images are, what the model may be told (the indication only),
/// and, when the EHR knows it, the FHIR intake that the write-back links the draft to.
/// </summary>
/// <param name="Fhir">Null when no ImagingStudy was found: the draft then goes to the local bundle folder.</param>
/// <param name="DicomWebBase">Where to fetch the images over DICOMweb; null for a folder.</param>
/// <param name="Folder">The folder of Part 10 files; null for DICOMweb.</param>
public sealed record ResolvedStudy(
    string StudyInstanceUid,
    StudyOrigin Origin,
    StudyIntake? Fhir,
    Uri? DicomWebBase,
    string? Folder,
    string? Indication);
