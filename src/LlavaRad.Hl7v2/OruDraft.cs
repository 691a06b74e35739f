namespace LlavaRad.Hl7v2;

/// <summary>OBR-25 / OBX-11 result status (HL7 table 0123 / 0085).</summary>
public enum ResultStatus { Preliminary, Final, Corrected }

/// <summary>A coded element as HL7 CE/CWE: identifier, text, coding system (e.g. "LN").</summary>
public sealed record Hl7Code(string Code, string Text, string System);

/// <summary>What an ORU^R01 for one draft version carries.</summary>
/// <param name="DraftKey">The draft's business identifier; with <paramref name="DraftVersion"/> it fixes MSH-10.</param>
/// <param name="PatientName">As DICOM PN ("Family^Given^Middle"); only the alphabetic group is sent.</param>
/// <param name="Created">When the draft was made: MSH-7 and OBR-22, so a re-sent message is byte-identical.</param>
public sealed record OruDraft(
    string DraftKey,
    int DraftVersion,
    ResultStatus Status,
    string PatientId,
    string? IssuerOfPatientId,
    string? PatientName,
    string? PatientBirthDate,
    string? PatientSex,
    string? PlacerOrderNumber,
    string? AccessionNumber,
    Hl7Code Procedure,
    string? ObservedAt,
    string FindingsText,
    string ModelName,
    DateTimeOffset Created);

/// <summary>The sending and receiving application and facility (MSH-3 to MSH-6), configured per site.</summary>
public sealed record Hl7Endpoints(string SendingApplication, string SendingFacility, string ReceivingApplication, string ReceivingFacility);
