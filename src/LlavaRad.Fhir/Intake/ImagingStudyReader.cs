using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using LlavaRad.Fhir.WriteBack;

namespace LlavaRad.Fhir.Intake;

/// <summary>
/// Reads an ImagingStudy, its DICOMweb Endpoint and its ServiceRequest into a <see cref="StudyIntake"/>.
/// The StudyInstanceUID comes from the urn:dicom:uid identifier and the patient from ImagingStudy.subject, never
/// from DICOM tags; a study without either is refused with <see cref="FhirStoreException.IncompleteResource"/>.
/// </summary>
public sealed class ImagingStudyReader(FhirStore store)
{
    private const string DicomUidSystem = "urn:dicom:uid";
    private const string WadoRs = "dicom-wado-rs";

    public async Task<StudyIntake> ReadAsync(string imagingStudyReference, CancellationToken cancellationToken = default) =>
        await ResolveAsync(await store.ReadAsync<ImagingStudy>(imagingStudyReference, cancellationToken), cancellationToken);

    public async Task<StudyIntake> ResolveAsync(ImagingStudy study, CancellationToken cancellationToken = default)
    {
        var uid = study.Identifier.FirstOrDefault(i => i.System == DicomUidSystem)?.Value is { Length: > 0 } value
            ? value.StartsWith("urn:oid:", StringComparison.Ordinal) ? value["urn:oid:".Length..] : value
            : throw Incomplete("ImagingStudy has no urn:dicom:uid identifier");
        var patient = study.Subject?.Reference is { } subject && subject.StartsWith("Patient/", StringComparison.Ordinal)
            ? subject
            : throw Incomplete("ImagingStudy.subject is not a Patient reference");
        var basedOn = study.BasedOn.Select(r => r.Reference).OfType<string>().ToList();
        var orderReference = basedOn.FirstOrDefault(r => r.StartsWith("ServiceRequest/", StringComparison.Ordinal));
        var order = orderReference is null ? null : await ReadOrderAsync(orderReference, cancellationToken);

        return new StudyIntake(
            $"ImagingStudy/{study.Id}", uid, patient, study.Encounter?.Reference, basedOn,
            study.StartedElement?.ToDateTimeOffset(TimeSpan.Zero),
            await DicomWebBaseAsync(study, cancellationToken),
            study.Series.Select(Summarize).ToList(),
            order)
        {
            IndicationText = order?.IndicationText ?? Join(study.ReasonCode.Select(Text)),
        };
    }

    private async Task<OrderSummary> ReadOrderAsync(string reference, CancellationToken cancellationToken)
    {
        var order = await store.ReadAsync<ServiceRequest>(reference, cancellationToken);
        var code = order.Code?.Coding.FirstOrDefault(c => c.System is not null && c.Code is not null) is { } coding
            ? new CodedConcept(coding.System!, coding.Code!, coding.Display ?? order.Code?.Text ?? coding.Code!)
            : null;
        var reasons = new List<string?>(order.ReasonCode.Select(Text));
        foreach (var reason in order.ReasonReference)
            reasons.Add(reason.Display ?? await ReasonTextAsync(reason.Reference, cancellationToken));
        reasons.AddRange(order.Note.Select(n => n.Text));
        return new OrderSummary(reference, code, order.Priority is { } priority ? EnumUtility.GetLiteral(priority) : null, order.Encounter?.Reference, Join(reasons));
    }

    /// <summary>reasonReference points at a Condition, Observation, DiagnosticReport or DocumentReference; we use its code's text.</summary>
    private async Task<string?> ReasonTextAsync(string? reference, CancellationToken cancellationToken)
    {
        if (reference is null) return null;
        try
        {
            return reference.Split('/')[0] switch
            {
                "Condition" => Text((await store.ReadAsync<Condition>(reference, cancellationToken)).Code),
                "Observation" => Text((await store.ReadAsync<Observation>(reference, cancellationToken)).Code),
                _ => null,
            };
        }
        catch (FhirStoreException e) when (e.Code == FhirStoreException.NotFound)
        {
            return null; // a dangling reason must not stop the study; the order's other reasons still count
        }
    }

    private async Task<Uri?> DicomWebBaseAsync(ImagingStudy study, CancellationToken cancellationToken)
    {
        var references = study.Endpoint.Concat(study.Series.SelectMany(s => s.Endpoint)).Select(r => r.Reference).OfType<string>().Distinct();
        foreach (var reference in references)
        {
            var endpoint = await store.ReadAsync<Endpoint>(reference, cancellationToken);
            if (endpoint.Status == Endpoint.EndpointStatus.Active && endpoint.ConnectionType?.Code == WadoRs &&
                Uri.TryCreate(endpoint.Address, UriKind.Absolute, out var address))
                return address;
        }
        return null;
    }

    private static SeriesSummary Summarize(ImagingStudy.SeriesComponent series) => new(
        series.Uid ?? "", series.Number, series.Modality?.Code, series.BodySite?.Code, series.Description,
        series.Instance.Select(i => new InstanceSummary(i.Uid ?? "", StripOid(i.SopClass?.Code), i.Number, i.Title)).ToList());

    private static string? StripOid(string? code) =>
        code is not null && code.StartsWith("urn:oid:", StringComparison.Ordinal) ? code["urn:oid:".Length..] : code;

    private static string? Text(CodeableConcept? concept) =>
        concept?.Text ?? concept?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d));

    private static string? Join(IEnumerable<string?> parts)
    {
        var texts = parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim().TrimEnd('.')).Distinct().ToList();
        return texts.Count == 0 ? null : string.Join(". ", texts) + ".";
    }

    private static FhirStoreException Incomplete(string message) => new(FhirStoreException.IncompleteResource, message);
}
