namespace LlavaRad.Imaging.Sr;

/// <summary>Everything the AI-draft SR needs: the source study's identity, the image the model saw, the draft and the model.</summary>
/// <param name="DraftVersion">1 for the first draft; a later version is a new instance that names the last one as predecessor.</param>
/// <param name="Findings">The labeled findings; observations the text does not mention are left out.</param>
public sealed record DraftSrRequest(
    SourceStudy Study,
    SourceImage Image,
    string FindingsText,
    IReadOnlyList<SrFinding> Findings,
    SrDevice Device,
    int DraftVersion,
    DateTimeOffset Created);

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
