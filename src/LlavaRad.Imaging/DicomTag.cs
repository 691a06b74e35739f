namespace LlavaRad.Imaging;

/// <summary>The attribute tags this project reads, as (group &lt;&lt; 16 | element).</summary>
public static class DicomTag
{
    public const uint StudyInstanceUid = 0x0020000D;
    public const uint SeriesInstanceUid = 0x0020000E;
    public const uint SopInstanceUid = 0x00080018;
    public const uint SopClassUid = 0x00080016;
    public const uint Modality = 0x00080060;
    public const uint AccessionNumber = 0x00080050;
    public const uint ModalitiesInStudy = 0x00080061;
    public const uint NumberOfStudyRelatedInstances = 0x00201208;
    public const uint ReferencedSopSequence = 0x00081199;
    public const uint FailedSopSequence = 0x00081198;
    public const uint ReferencedSopInstanceUid = 0x00081155;
    public const uint FailureReason = 0x00081197;

    /// <summary>The 8-hex-digit key DICOM JSON uses (PS3.18 F.2).</summary>
    public static string JsonKey(uint tag) => tag.ToString("X8");
}
