namespace LlavaRad.Imaging;

/// <summary>The attribute tags this project reads, as (group &lt;&lt; 16 | element).</summary>
public static class DicomTag
{
    // File meta (group 0002)
    public const uint MediaStorageSopClassUid = 0x00020002;
    public const uint MediaStorageSopInstanceUid = 0x00020003;
    public const uint TransferSyntaxUid = 0x00020010;

    // Identity and study structure
    public const uint SpecificCharacterSet = 0x00080005;
    public const uint ImageType = 0x00080008;
    public const uint SopClassUid = 0x00080016;
    public const uint SopInstanceUid = 0x00080018;
    public const uint StudyDate = 0x00080020;
    public const uint AccessionNumber = 0x00080050;
    public const uint Modality = 0x00080060;
    public const uint ModalitiesInStudy = 0x00080061;
    public const uint PresentationIntentType = 0x00080068;
    public const uint StudyDescription = 0x00081030;
    public const uint SeriesDescription = 0x0008103E;
    public const uint FailedSopSequence = 0x00081198;
    public const uint ReferencedSopSequence = 0x00081199;
    public const uint ReferencedSopInstanceUid = 0x00081155;
    public const uint FailureReason = 0x00081197;
    public const uint DerivationDescription = 0x00082111;
    public const uint AnatomicRegionSequence = 0x00082218;
    public const uint CodeValue = 0x00080100;
    public const uint CodingSchemeDesignator = 0x00080102;
    public const uint PatientName = 0x00100010;
    public const uint PatientId = 0x00100020;
    public const uint BodyPartExamined = 0x00180015;
    public const uint ProtocolName = 0x00181030;
    public const uint ViewPosition = 0x00185101;
    public const uint StudyInstanceUid = 0x0020000D;
    public const uint SeriesInstanceUid = 0x0020000E;
    public const uint SeriesNumber = 0x00200011;
    public const uint InstanceNumber = 0x00200013;
    public const uint ImageLaterality = 0x00200062;
    public const uint NumberOfStudyRelatedInstances = 0x00201208;
    public const uint NumberOfSeriesRelatedInstances = 0x00201209;
    public const uint ViewCodeSequence = 0x00540220;
    public const uint RequestedProcedureCodeSequence = 0x00321064;

    // Image Pixel, Modality LUT, VOI LUT, Presentation LUT modules
    public const uint SamplesPerPixel = 0x00280002;
    public const uint PhotometricInterpretation = 0x00280004;
    public const uint PlanarConfiguration = 0x00280006;
    public const uint NumberOfFrames = 0x00280008;
    public const uint Rows = 0x00280010;
    public const uint Columns = 0x00280011;
    public const uint BitsAllocated = 0x00280100;
    public const uint BitsStored = 0x00280101;
    public const uint HighBit = 0x00280102;
    public const uint PixelRepresentation = 0x00280103;
    public const uint WindowCenter = 0x00281050;
    public const uint WindowWidth = 0x00281051;
    public const uint RescaleIntercept = 0x00281052;
    public const uint RescaleSlope = 0x00281053;
    public const uint WindowCenterWidthExplanation = 0x00281055;
    public const uint VoiLutFunction = 0x00281056;
    public const uint ModalityLutSequence = 0x00283000;
    public const uint LutDescriptor = 0x00283002;
    public const uint LutData = 0x00283006;
    public const uint VoiLutSequence = 0x00283010;
    public const uint PresentationLutShape = 0x20500020;
    public const uint ExtendedOffsetTable = 0x7FE00001;
    public const uint PixelData = 0x7FE00010;

    // Item delimitation (group FFFE)
    public const uint Item = 0xFFFEE000;
    public const uint ItemDelimitation = 0xFFFEE00D;
    public const uint SequenceDelimitation = 0xFFFEE0DD;

    /// <summary>The 8-hex-digit key DICOM JSON uses (PS3.18 F.2).</summary>
    public static string JsonKey(uint tag) => tag.ToString("X8");

    /// <summary>"(gggg,eeee)" for messages.</summary>
    public static string Format(uint tag) => $"({tag >> 16:X4},{tag & 0xFFFF:X4})";
}
