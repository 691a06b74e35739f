using LlavaRad.Fhir;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Worker.Audit;
using Microsoft.Extensions.Options;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Pipeline;

/// <summary>The draft as one FHIR transaction (DraftReportWriter: conditional creates on the business identifier). Audited.</summary>
public sealed class FhirDraftSink(DraftReportWriter writer, AuditRecorder audit, IOptions<FhirStoreOptions> fhir, TimeProvider clock) : IDraftSink
{
    public async Task<DraftLocation> WriteAsync(DraftReportRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var written = await audit.TrackAsync(AuditActions.Create, "transaction", request.Study.ImagingStudy, request.Study.Patient,
                fhir.Value.BaseUrl?.AbsoluteUri ?? "", () => writer.WriteAsync(request, cancellationToken),
                e => e is FhirStoreException f ? f.Code : PipelineReasons.Unexpected, cancellationToken);
            if (written.Created)
                await audit.RecordAsync(new AuditRecord(AuditActions.Create, "create", written.ReportReference, request.Study.Patient,
                    fhir.Value.BaseUrl?.AbsoluteUri ?? "", clock.GetUtcNow(), null), cancellationToken);
            return new DraftLocation(written.ReportReference, written.Created);
        }
        catch (FhirStoreException e)
        {
            throw FailureOutcomes.From(e);
        }
    }
}
