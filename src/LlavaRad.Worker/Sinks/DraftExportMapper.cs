using LlavaRad.Fhir.WriteBack;
using LlavaRad.Findings;
using LlavaRad.Hl7v2;
using LlavaRad.Imaging;
using LlavaRad.Imaging.Sr;

namespace LlavaRad.Worker.Sinks;

/// <summary>The draft the FHIR sink gets, plus the source image's attributes, as an SR request and an ORU^R01 draft.</summary>
public static class DraftExportMapper
{
    private static readonly Hl7Code ChestXRay = new("36643-5", "XR Chest 2 Views", "LN");

    /// <summary>The SR of one draft version; <paramref name="predecessor"/> is the last SR of ours in the study, if any.</summary>
    public static DraftSrRequest ToSr(DraftReportRequest draft, string draftKey, IDicomAttributes source, ExportOptions options, int version,
        SrInstance? predecessor = null) => new(
        SourceFacts.Study(source), SourceFacts.Image(source), draft.FindingsText,
        [.. draft.Findings.Select(f => new SrFinding(FindingCodes.For(ObservationNames.Parse(f.Finding.Code)),
            f.Certainty == FindingCertainty.Positive ? SrPresence.Present : SrPresence.Uncertain))],
        Device(draft.Model, options), draftKey, version, draft.Issued, predecessor);

    public static OruDraft ToOru(DraftReportRequest draft, string draftKey, IDicomAttributes source, int version)
    {
        var study = SourceFacts.Study(source);
        var procedure = draft.Study.OrderCode is { } order
            ? new Hl7Code(order.Code, order.Display, order.System == "http://loinc.org" ? "LN" : order.System)
            : ChestXRay;
        return new OruDraft(draftKey, version, ResultStatus.Preliminary, study.PatientId ?? "", study.IssuerOfPatientId,
            study.PatientName, study.PatientBirthDate, study.PatientSex, null, study.AccessionNumber, procedure,
            study.StudyDate is null ? null : study.StudyDate + (study.StudyTime ?? "").Split('.')[0],
            draft.FindingsText, $"{draft.Model.Name} {draft.Model.Version}", draft.Issued);
    }

    /// <summary>Both exports of one draft version, rendered: the SR and the ORU^R01 in ER7.</summary>
    public static (WrittenSr Sr, string Oru) Render(DraftReportRequest draft, string draftKey, IDicomAttributes source, ExportOptions options, int version) =>
        (DraftSrWriter.Write(ToSr(draft, draftKey, source, options, version)), RenderOru(draft, draftKey, source, options, version));

    /// <summary>The ORU^R01 of one draft version in ER7.</summary>
    public static string RenderOru(DraftReportRequest draft, string draftKey, IDicomAttributes source, ExportOptions options, int version) =>
        OruR01Builder.Build(ToOru(draft, draftKey, source, version),
            new Hl7Endpoints(options.SendingApplication, options.SendingFacility, options.ReceivingApplication, options.ReceivingFacility));

    private static SrDevice Device(ModelIdentity model, ExportOptions options) => new(
        DerivedUid.From("llavarad-device", model.Id, model.Version, model.WeightsSha256),
        model.Name, options.Manufacturer, model.Id, model.Version);
}
