using LlavaRad.Fhir.WriteBack;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sinks;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.Options;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Pipeline;

/// <summary>What the job runner runs for each claimed job.</summary>
public interface IStudyPipeline
{
    /// <summary>Drafts the study, or throws <see cref="StudyPipelineException"/> with a coded reason.</summary>
    Task<StudyDraft> RunAsync(Job job, CancellationToken cancellationToken);
}

/// <summary>
/// One study through the stages of DESIGN.md section 2: resolve, select + fetch + convert, infer, label + triage,
/// write back. A stage that cannot go on throws <see cref="StudyPipelineException"/> (final or transient); the
/// runner turns that into the job's state. The findings are stored in the job store after inference, and each
/// sink's outcome as it is delivered: a retried job (a sink failed) reuses the findings and delivers only to the
/// sinks that do not have the draft yet, so the node is asked once and every sink gets the same draft.
/// </summary>
public sealed class StudyPipeline(
    StudyResolver resolver,
    FolderImageSource folderImages,
    DicomWebImageSource dicomWebImages,
    IFindingsGenerator generator,
    FindingsAssessor assessor,
    LocalBundleSink localSink,
    IDraftSink? fhirSink,
    IJobStore store,
    IOptions<PipelineOptions> options,
    WorkerMetrics metrics,
    TimeProvider clock,
    LocalExportWriter? exports = null,
    ISiteSinks? siteSinks = null,
    Review.ReviewArchiveSink? review = null) : IStudyPipeline
{
    private const int ExcerptLength = 60;

    public async Task<StudyDraft> RunAsync(Job job, CancellationToken cancellationToken)
    {
        ResolvedStudy study;
        using (metrics.Stage("resolve")) study = await resolver.ResolveAsync(job, cancellationToken);
        // The image is read on a retry too: the references, the SR and ORU and the review entry need it.
        IFrontalImageSource images = study.Folder is not null ? folderImages : dicomWebImages;
        FrontalImage image;
        using (metrics.Stage("image")) image = await images.GetAsync(study, cancellationToken);
        var references = References(study, image, options.Value); // before inference: a study we cannot link costs no GPU time
        var findings = await FindingsAsync(job, study, image, cancellationToken);
        var generated = new GeneratedFindings(findings.Text, findings.TokenLogProbabilities, findings.Model);
        FindingsAssessment assessment;
        using (metrics.Stage("label")) assessment = assessor.Assess(generated);

        var request = new DraftReportRequest(references, generated.Text, generated.Model,
            options.Value.PipelineVersion, assessment.Findings, assessment.Urgency, findings.GeneratedAt);
        var (sink, target) = study.Fhir is null ? (localSink, SinkNames.Local)
            : options.Value.ShadowMode || fhirSink is null ? ((IDraftSink)localSink, SinkNames.Shadow)
            : (fhirSink, SinkNames.Fhir);
        DraftLocation draft;
        using (metrics.Stage("write"))
        {
            var ledger = await SinkLedger.LoadAsync(store, job.Id, metrics, cancellationToken);
            draft = await ledger.PrimaryAsync(target, () => sink.WriteAsync(request, cancellationToken), cancellationToken);
            var others = new List<(string, Func<Task>)>();
            // The SR and ORU copies go beside the local bundle only: sites receive them through their own sinks.
            if (target != SinkNames.Fhir && exports is { Enabled: true } && image.Source is { } source)
                others.Add((SinkNames.LocalExports, () => exports.WriteAsync(request, source, cancellationToken)));
            if (siteSinks is not null && image.Source is { } forSite && target != SinkNames.Shadow)
                others.AddRange(siteSinks.Configured.Select(name =>
                    (name, (Func<Task>)(() => siteSinks.DeliverAsync(name, request, forSite, cancellationToken)))));
            if (review is not null)
                others.Add((SinkNames.Review, () => review.AddAsync(request, image, assessment.UrgencyRule, draft, cancellationToken)));
            await ledger.DeliverAsync(others, cancellationToken);
        }

        // Printable characters only: an untrained model can emit byte-fallback fragments that garble a terminal.
        var excerpt = new string(generated.Text.Select(c => char.IsControl(c) || c == '\uFFFD' ? ' ' : c).ToArray()).Trim();
        return new StudyDraft(image.Description, assessment.Urgency.ToString().ToLowerInvariant(),
            excerpt.Length > ExcerptLength ? excerpt[..ExcerptLength] + "…" : excerpt, draft, target);
    }

    /// <summary>The findings an earlier attempt stored, or the node's answer, stored now (with its time: the draft's issued time).</summary>
    private async Task<JobFindings> FindingsAsync(Job job, ResolvedStudy study, FrontalImage image, CancellationToken cancellationToken)
    {
        if (await store.FindFindingsAsync(job.Id, cancellationToken) is { } stored)
        {
            System.Diagnostics.Activity.Current?.SetTag("llavarad.findings.reused", true);
            return stored;
        }
        GeneratedFindings generated;
        using (metrics.Stage("infer")) generated = await generator.GenerateAsync(image.Image, study.Indication, (int)job.Priority, cancellationToken);
        return await store.SaveFindingsAsync(job.Id,
            new JobFindings(generated.Text, generated.TokenLogProbabilities, generated.Model, clock.GetUtcNow()), cancellationToken);
    }

    /// <summary>
    /// With an ImagingStudy, the EHR's references. Without one (a folder or DICOMweb study the EHR does not know),
    /// conditional references by StudyInstanceUID and patient identifier, which the EHR resolves when the bundle is
    /// posted. The report code is the order's in every mode: the ServiceRequest's, else the image's Requested
    /// Procedure Code Sequence.
    /// </summary>
    private static StudyReferences References(ResolvedStudy study, FrontalImage image, PipelineOptions options)
    {
        var dicomOrderCode = DicomStudyReferences.OrderCode(image.Source);
        if (study.Fhir is { } intake)
        {
            try
            {
                var references = intake.ForDraft(image.SopInstanceUid, image.AcquiredAt);
                return references.OrderCode is null ? references with { OrderCode = dicomOrderCode } : references;
            }
            catch (LlavaRad.Fhir.FhirStoreException e)
            {
                throw FailureOutcomes.From(e);
            }
        }
        return new StudyReferences(study.StudyInstanceUid,
            $"ImagingStudy?identifier=urn:dicom:uid|urn:oid:{study.StudyInstanceUid}", // UIDs are digits and dots
            DicomStudyReferences.Patient(image.Source, image.PatientId, options), null, null,
            image.AcquiredAt ?? DateTimeOffset.UnixEpoch, dicomOrderCode, image.SopInstanceUid);
    }
}
