using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using LlavaRad.Fhir;

namespace LlavaRad.IntegrationTests.Worker;

/// <summary>What the FHIR server holds for one study, read with plain searches (not through the worker's code).</summary>
public static class WorkerDrafts
{
    public static async Task<IReadOnlyList<DiagnosticReport>> ReportsForAsync(FhirStore fhir, WorkerSampleStudy study) =>
        (await fhir.SearchAsync<DiagnosticReport>(new SearchParams().Add("subject", study.Patient).LimitTo(200)))
            .Where(r => r.ImagingStudy.Any(i => i.Reference == study.ImagingStudyReference))
            .ToList();
}
