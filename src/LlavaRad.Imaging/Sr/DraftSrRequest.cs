namespace LlavaRad.Imaging.Sr;

/// <summary>Everything the AI-draft SR needs: the source study's identity, the image the model saw, the draft and the model.</summary>
/// <param name="Findings">The labeled findings; observations the text does not mention are left out.</param>
/// <param name="DraftKey">The draft's idempotency key: with the study it fixes the SOP Instance UID, so a retried store replaces.</param>
/// <param name="DraftVersion">The Instance Number: 1 for the first draft of the study, one more than the predecessor's after.</param>
/// <param name="Predecessor">The last SR of ours stored in the study, which this version supersedes; null for the first.</param>
public sealed record DraftSrRequest(
    SourceStudy Study,
    SourceImage Image,
    string FindingsText,
    IReadOnlyList<SrFinding> Findings,
    SrDevice Device,
    string DraftKey,
    int DraftVersion,
    DateTimeOffset Created,
    SrInstance? Predecessor = null);

/// <summary>One SR instance of the study (series, SOP class and instance), as a Predecessor Documents Sequence names it.</summary>
public sealed record SrInstance(string SeriesInstanceUid, string SopClassUid, string SopInstanceUid);

/// <summary>The Patient and General Study module values copied from the source image (absent values are written empty).</summary>
public sealed record SourceStudy(
    string StudyInstanceUid,
    string? PatientName,
    string? PatientId,
    string? IssuerOfPatientId,
    string? PatientBirthDate,
    string? PatientSex,
    string? StudyDate,
    string? StudyTime,
    string? StudyId,
    string? AccessionNumber,
    string? ReferringPhysicianName,
    string? StudyDescription);

public sealed record SourceImage(string SeriesInstanceUid, string SopClassUid, string SopInstanceUid);

/// <summary>A code (PS3.3 8.8): value, scheme designator (SCT, DCM, LN, or a 99-private one) and meaning.</summary>
public sealed record SrCode(string Value, string Scheme, string Meaning);

public enum SrPresence { Present, Absent, Uncertain }

public sealed record SrFinding(SrCode Finding, SrPresence Presence);

/// <summary>The AI as a TID 1004 Device observer. <paramref name="ObserverUid"/> identifies this model build.</summary>
public sealed record SrDevice(string ObserverUid, string Name, string Manufacturer, string ModelId, string ModelVersion);
