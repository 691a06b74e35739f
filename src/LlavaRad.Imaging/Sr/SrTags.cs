namespace LlavaRad.Imaging.Sr;

/// <summary>The tags the SR writer sets beyond <see cref="DicomTag"/> (PS3.6).</summary>
internal static class SrTags
{
    public const uint InstanceCreationDate = 0x00080012;
    public const uint InstanceCreationTime = 0x00080013;
    public const uint ContentDate = 0x00080023;
    public const uint ContentTime = 0x00080033;
    public const uint StudyTime = 0x00080030;
    public const uint Manufacturer = 0x00080070;
    public const uint ReferringPhysicianName = 0x00080090;
    public const uint CodeMeaning = 0x00080104;
    public const uint MappingResource = 0x00080105;
    public const uint TimezoneOffsetFromUtc = 0x00080201;
    public const uint ManufacturerModelName = 0x00081090;
    public const uint ReferencedPerformedProcedureStepSequence = 0x00081111;
    public const uint ReferencedSeriesSequence = 0x00081115;
    public const uint ReferencedSopClassUid = 0x00081150;
    public const uint IssuerOfPatientId = 0x00100021;
    public const uint PatientBirthDate = 0x00100030;
    public const uint PatientSex = 0x00100040;
    public const uint SoftwareVersions = 0x00181020;
    public const uint StudyId = 0x00200010;
    public const uint RelationshipType = 0x0040A010;
    public const uint ValueType = 0x0040A040;
    public const uint ConceptNameCodeSequence = 0x0040A043;
    public const uint ContinuityOfContent = 0x0040A050;
    public const uint Uid = 0x0040A124;
    public const uint TextValue = 0x0040A160;
    public const uint ConceptCodeSequence = 0x0040A168;
    public const uint PredecessorDocumentsSequence = 0x0040A360;
    public const uint PerformedProcedureCodeSequence = 0x0040A372;
    public const uint CurrentRequestedProcedureEvidenceSequence = 0x0040A375;
    public const uint CompletionFlag = 0x0040A491;
    public const uint VerificationFlag = 0x0040A493;
    public const uint PreliminaryFlag = 0x0040A496;
    public const uint ContentTemplateSequence = 0x0040A504;
    public const uint ContentSequence = 0x0040A730;
    public const uint TemplateIdentifier = 0x0040DB00;
}
