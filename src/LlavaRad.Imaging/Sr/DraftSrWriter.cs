using System.Globalization;
using LlavaRad.Imaging.Part10;

namespace LlavaRad.Imaging.Sr;

/// <summary>One written SR: its identity (for STOW-RS and the next version's predecessor) and its Part 10 bytes.</summary>
public sealed record WrittenSr(string StudyInstanceUid, string SeriesInstanceUid, string SopInstanceUid, byte[] Part10)
{
    public SrInstance Instance => new(SeriesInstanceUid, DraftSrWriter.ComprehensiveSrSopClass, SopInstanceUid);
}

/// <summary>
/// The AI draft as a Comprehensive SR following TID 2000 (Basic Diagnostic Imaging Report): a Device observer
/// (TID 1004), a Findings section with the text, one CODE item per labeled finding and the source image, marked
/// UNVERIFIED, PARTIAL and PRELIMINARY, in an "AI draft" series of the source study.
/// </summary>
public static class DraftSrWriter
{
    public const string ComprehensiveSrSopClass = "1.2.840.10008.5.1.4.1.1.88.33";
    public const string SeriesDescription = "AI DRAFT - unverified, not reviewed by a radiologist";
    public const int SeriesNumber = 9901;

    /// <summary>The instance UID of one draft: derived from its key, so rewriting the same draft gives the same instance.</summary>
    public static string InstanceUid(string studyUid, string draftKey) => DerivedUid.From("llavarad-ai-draft-sr", studyUid, draftKey);

    public static string SeriesUid(string studyUid) => DerivedUid.From("llavarad-ai-draft-sr-series", studyUid);

    public static WrittenSr Write(DraftSrRequest request)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(request.DraftVersion, 1);
        var study = request.Study;
        var seriesUid = SeriesUid(study.StudyInstanceUid);
        var instanceUid = InstanceUid(study.StudyInstanceUid, request.DraftKey);
        var created = request.Created.ToUniversalTime();
        var date = created.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var time = created.ToString("HHmmss", CultureInfo.InvariantCulture);

        var dataset = new DicomWriteDataset()
            .Add(DicomTag.SpecificCharacterSet, "CS", "ISO_IR 192")
            .Add(DicomTag.SopClassUid, "UI", ComprehensiveSrSopClass)
            .Add(DicomTag.SopInstanceUid, "UI", instanceUid)
            .Add(SrTags.InstanceCreationDate, "DA", date)
            .Add(SrTags.InstanceCreationTime, "TM", time)
            .Add(SrTags.TimezoneOffsetFromUtc, "SH", "+0000")
            // Patient module
            .Add(DicomTag.PatientName, "PN", study.PatientName ?? "")
            .Add(DicomTag.PatientId, "LO", study.PatientId ?? "")
            .AddIfPresent(SrTags.IssuerOfPatientId, "LO", study.IssuerOfPatientId)
            .Add(SrTags.PatientBirthDate, "DA", study.PatientBirthDate ?? "")
            .Add(SrTags.PatientSex, "CS", study.PatientSex ?? "")
            // General Study module
            .Add(DicomTag.StudyInstanceUid, "UI", study.StudyInstanceUid)
            .Add(DicomTag.StudyDate, "DA", study.StudyDate ?? "")
            .Add(SrTags.StudyTime, "TM", study.StudyTime ?? "")
            .Add(SrTags.ReferringPhysicianName, "PN", study.ReferringPhysicianName ?? "")
            .Add(SrTags.StudyId, "SH", study.StudyId ?? "")
            .Add(DicomTag.AccessionNumber, "SH", study.AccessionNumber ?? "")
            .AddIfPresent(DicomTag.StudyDescription, "LO", study.StudyDescription)
            // SR Document Series module
            .Add(DicomTag.Modality, "CS", "SR")
            .Add(DicomTag.SeriesInstanceUid, "UI", seriesUid)
            .Add(DicomTag.SeriesNumber, "IS", SeriesNumber.ToString(CultureInfo.InvariantCulture))
            .Add(DicomTag.SeriesDescription, "LO", SeriesDescription)
            .AddSequence(SrTags.ReferencedPerformedProcedureStepSequence)
            // General Equipment module: the device that made the document
            .Add(SrTags.Manufacturer, "LO", request.Device.Manufacturer)
            .Add(SrTags.ManufacturerModelName, "LO", request.Device.ModelId)
            .Add(SrTags.SoftwareVersions, "LO", request.Device.ModelVersion)
            // SR Document General module
            .Add(DicomTag.InstanceNumber, "IS", request.DraftVersion.ToString(CultureInfo.InvariantCulture))
            .Add(SrTags.PreliminaryFlag, "CS", "PRELIMINARY")
            .Add(SrTags.CompletionFlag, "CS", "PARTIAL")
            .Add(SrTags.VerificationFlag, "CS", "UNVERIFIED")
            .Add(SrTags.ContentDate, "DA", date)
            .Add(SrTags.ContentTime, "TM", time)
            .AddSequence(SrTags.PerformedProcedureCodeSequence)
            .AddSequence(SrTags.CurrentRequestedProcedureEvidenceSequence, SrContent.Evidence(
                study.StudyInstanceUid, request.Image.SeriesInstanceUid, request.Image.SopClassUid, request.Image.SopInstanceUid));
        if (request.Predecessor is { } predecessor)
            dataset.AddSequence(SrTags.PredecessorDocumentsSequence, SrContent.Evidence(
                study.StudyInstanceUid, predecessor.SeriesInstanceUid, predecessor.SopClassUid, predecessor.SopInstanceUid));
        AddContentTree(dataset, request);

        return new WrittenSr(study.StudyInstanceUid, seriesUid, instanceUid, Part10Writer.Write(dataset, ComprehensiveSrSopClass, instanceUid));
    }

    // SR Document Content module: the TID 2000 root container and its tree.
    private static void AddContentTree(DicomWriteDataset dataset, DraftSrRequest request)
    {
        var device = request.Device;
        var findings = new List<DicomWriteDataset>
        {
            SrContent.Text("CONTAINS", SrCodes.Finding, request.FindingsText)
                .AddSequence(SrTags.ContentSequence, SrContent.Image("INFERRED FROM", request.Image)),
        };
        findings.AddRange(request.Findings.Select(f =>
            SrContent.CodeValue("CONTAINS", f.Finding, SrCodes.Presence(f.Presence))));

        dataset
            .Add(SrTags.ValueType, "CS", "CONTAINER")
            .AddSequence(SrTags.ConceptNameCodeSequence, SrContent.Code(SrCodes.DiagnosticImagingReport))
            .Add(SrTags.ContinuityOfContent, "CS", "SEPARATE")
            .AddSequence(SrTags.ContentTemplateSequence, new DicomWriteDataset()
                .Add(SrTags.MappingResource, "CS", "DCMR")
                .Add(SrTags.TemplateIdentifier, "CS", "2000"))
            .AddSequence(SrTags.ContentSequence,
                SrContent.CodeValue("HAS OBS CONTEXT", SrCodes.ObserverType, SrCodes.Device),
                SrContent.UidRef("HAS OBS CONTEXT", SrCodes.DeviceObserverUid, device.ObserverUid),
                SrContent.Text("HAS OBS CONTEXT", SrCodes.DeviceObserverName, device.Name),
                SrContent.Text("HAS OBS CONTEXT", SrCodes.DeviceObserverManufacturer, device.Manufacturer),
                SrContent.Text("HAS OBS CONTEXT", SrCodes.DeviceObserverModelName, $"{device.ModelId} {device.ModelVersion}"),
                SrContent.Container("CONTAINS", SrCodes.Findings, [.. findings]));
    }
}
