namespace LlavaRad.Imaging.Sr;

/// <summary>The Patient and Study module values and the image reference an SR copies from the image the model saw.</summary>
public static class SourceFacts
{
    public static SourceStudy Study(IDicomAttributes image) => new(
        image.GetString(DicomTag.StudyInstanceUid) ?? throw new ArgumentException("the source image has no StudyInstanceUID", nameof(image)),
        image.GetString(DicomTag.PatientName), image.GetString(DicomTag.PatientId), image.GetString(SrTags.IssuerOfPatientId),
        image.GetString(SrTags.PatientBirthDate), image.GetString(SrTags.PatientSex), image.GetString(DicomTag.StudyDate),
        image.GetString(SrTags.StudyTime), image.GetString(SrTags.StudyId), image.GetString(DicomTag.AccessionNumber),
        image.GetString(SrTags.ReferringPhysicianName), image.GetString(DicomTag.StudyDescription));

    public static SourceImage Image(IDicomAttributes image) => new(
        image.GetString(DicomTag.SeriesInstanceUid) ?? throw new ArgumentException("the source image has no SeriesInstanceUID", nameof(image)),
        image.GetString(DicomTag.SopClassUid) ?? throw new ArgumentException("the source image has no SOPClassUID", nameof(image)),
        image.GetString(DicomTag.SopInstanceUid) ?? throw new ArgumentException("the source image has no SOPInstanceUID", nameof(image)));
}
