using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Task = Hl7.Fhir.Model.Task;

namespace LlavaRad.Fhir.WriteBack;

/// <summary>
/// Builds the one transaction Bundle of a draft: Device, DiagnosticReport, its finding Observations (standalone, or
/// contained where <see cref="WriteBackOptions.ContainFindings"/> says the server limits transaction size), Task and
/// Provenance, each a conditional create on its business identifier, plus If-Match updates that cancel superseded
/// drafts and their findings.
/// </summary>
public sealed class DraftBundleBuilder(WriteBackOptions options)
{
    public const string UsCoreNoteProfile = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-diagnosticreport-note";

    public Bundle Build(DraftReportRequest request, DraftKeys keys, IReadOnlyList<SupersededDraft> superseded)
    {
        string deviceUrl = NewUrn(), reportUrl = NewUrn(), taskUrl = NewUrn();
        // Contained findings are referenced by local id ("#finding-1"), standalone ones by their entry's urn.
        var findings = request.Findings.DistinctBy(f => (f.Finding.System, f.Finding.Code))
            .Select((f, i) => Finding(request, keys, f, deviceUrl, options.ContainFindings ? $"finding-{i + 1}" : null)).ToList();
        var standalone = options.ContainFindings ? [] : findings;
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(FhirSearch.ConditionalCreate(deviceUrl, Device(request, keys), FhirSearch.Identifier(keys.WeightsSystem, keys.WeightsSha256)));
        bundle.Entry.Add(FhirSearch.ConditionalCreate(reportUrl, Report(request, keys, findings), FhirSearch.Identifier(keys.ReportSystem, keys.Key)));
        foreach (var finding in standalone)
            bundle.Entry.Add(FhirSearch.ConditionalCreate(finding.Url, finding.Resource,
                FhirSearch.Identifier(keys.ObservationSystem, finding.Resource.Identifier[0].Value!)));
        bundle.Entry.Add(FhirSearch.ConditionalCreate(taskUrl, ReviewTask(request, keys, reportUrl, deviceUrl), FhirSearch.Identifier(keys.TaskSystem, keys.Key)));
        bundle.Entry.Add(FhirSearch.ConditionalCreate(NewUrn(), Provenance(request, keys, [reportUrl, .. standalone.Select(f => f.Url), taskUrl], deviceUrl, superseded),
            FhirSearch.Tag(keys.ProvenanceTagSystem, keys.Key)));
        foreach (var old in superseded)
        {
            bundle.Entry.Add(Cancel(old.Report, old.ServerBase));
            bundle.Entry.AddRange(old.Findings.Select(f => Cancel(f, old.ServerBase)));
            if (old.Task is not null) bundle.Entry.Add(Cancel(old.Task, old.ServerBase));
        }
        return bundle;
    }

    // No AIAST on the Device, Task or Provenance: they are not AI-asserted content, only the report and its findings are.
    private Device Device(DraftReportRequest request, DraftKeys keys) => new()
    {
        Identifier = [new Identifier(keys.WeightsSystem, keys.WeightsSha256)],
        Status = Hl7.Fhir.Model.Device.FHIRDeviceStatus.Active,
        DeviceName = [new Device.DeviceNameComponent { Name = request.Model.Name, Type = DeviceNameType.ModelName }],
        ModelNumber = request.Model.Id,
        Version = [new Device.VersionComponent { Value = request.Model.Version }],
        Type = new CodeableConcept { Text = "Artificial intelligence: vision-language model drafting chest X-ray findings" },
        Owner = Operator(),
        Note = [new Annotation { Text = new Markdown(DeviceNote(request.Model)) }],
    };

    // R4's Device has no licence element; the note carries the weights' terms so whoever reads the draft sees them.
    private static string DeviceNote(ModelIdentity model) => string.IsNullOrEmpty(model.Licence)
        ? "Every output is an unreviewed draft."
        : $"Weights licence: {model.Licence}. Research-use-only terms acknowledged by the operator: {(model.ResearchUseAcknowledged ? "yes" : "no")}. " +
          "Every output is an unreviewed draft.";

    /// <summary>
    /// One finding as an Observation coded in a standard system where one has the concept (the private code rides
    /// along as an extra coding), so an Observation search by SNOMED CT code finds it.
    /// </summary>
    private (string Url, Observation Resource) Finding(DraftReportRequest request, DraftKeys keys, FindingLabel label, string deviceUrl, string? containedId) =>
        (containedId is null ? NewUrn() : $"#{containedId}", new Observation
        {
            Id = containedId,
            // dom-5 forbids security labels on contained resources; there the report's AIAST covers them.
            Meta = options.ContainFindings ? null : AiMeta(),
            Identifier = [new Identifier(keys.ObservationSystem, keys.ObservationValue(label.Finding))],
            Status = ObservationStatus.Preliminary,
            Category = [DraftCodes.ImagingObservationCategory()],
            Code = new CodeableConcept
            {
                Coding = [.. label.Codings().Select(c => new Coding(c.System, c.Code, c.Display))],
                Text = label.Finding.Display,
            },
            Subject = new ResourceReference(request.Study.Patient),
            Encounter = OptionalReference(request.Study.Encounter),
            Effective = new FhirDateTime(request.Study.StudyStarted),
            Issued = request.Issued,
            Value = DraftCodes.Certainty(label.Certainty),
            Device = new ResourceReference(deviceUrl),
            DerivedFrom = [new ResourceReference(request.Study.ImagingStudy)],
        });

    /// <summary>
    /// The findings are preliminary, AI-asserted (AIAST) Observations the report's result lists; superseding a draft
    /// cancels them with it. Contained findings (the option) keep the transaction small for servers that limit it.
    /// </summary>
    private DiagnosticReport Report(DraftReportRequest request, DraftKeys keys, IReadOnlyList<(string Url, Observation Resource)> findings)
    {
        var study = request.Study;
        var title = $"AI-generated DRAFT – not reviewed ({request.Model.Name} {request.Model.Version})";
        var report = new DiagnosticReport
        {
            Meta = AiMeta(),
            Identifier = [new Identifier(keys.ReportSystem, keys.Key), new Identifier(keys.StudyLineSystem, keys.StudyLine)],
            BasedOn = OptionalReference(study.ServiceRequest) is { } order ? [order] : [],
            Status = DiagnosticReport.DiagnosticReportStatus.Preliminary,
            Category = DraftCodes.RadiologyCategory(),
            Code = study.OrderCode is { } code ? new CodeableConcept(code.System, code.Code, code.Display, code.Display) : DraftCodes.ChestXRay(),
            Subject = new ResourceReference(study.Patient),
            Encounter = OptionalReference(study.Encounter),
            Effective = new FhirDateTime(study.StudyStarted),
            Issued = request.Issued,
            Performer = [Operator()],
            Contained = options.ContainFindings ? [.. findings.Select(f => f.Resource)] : [],
            Result = findings.Select(f => new ResourceReference(f.Url)).ToList(),
            ImagingStudy = [new ResourceReference(study.ImagingStudy)],
            Conclusion = "AI draft findings – not reviewed by a radiologist.",
            PresentedForm =
            [
                Attachment("text/plain; charset=utf-8", $"{title}\n\n{request.FindingsText}", title, request.Issued),
                Attachment("text/html; charset=utf-8", Html(title, request.FindingsText), title, request.Issued),
            ],
        };
        if (options.DeclareUsCoreProfile) report.Meta.Profile = [UsCoreNoteProfile];
        return report;
    }

    private Task ReviewTask(DraftReportRequest request, DraftKeys keys, string reportUrl, string deviceUrl)
    {
        var study = request.Study;
        return new Task
        {
            Identifier = [new Identifier(keys.TaskSystem, keys.Key)],
            Status = Hl7.Fhir.Model.Task.TaskStatus.Requested,
            BusinessStatus = DraftCodes.AwaitingReview(),
            Intent = Hl7.Fhir.Model.Task.TaskIntent.Order,
            Priority = DraftCodes.Priority(request.Urgency),
            Code = DraftCodes.ReviewTaskCode(),
            Focus = new ResourceReference(reportUrl), // what the radiologist reviews
            BasedOn = OptionalReference(study.ServiceRequest) is { } order ? [order] : [],
            For = new ResourceReference(study.Patient),
            Encounter = OptionalReference(study.Encounter),
            AuthoredOn = new FhirDateTime(request.Issued).Value,
            Requester = new ResourceReference(deviceUrl),
            PerformerType = [new CodeableConcept(options.ReviewerRoleSystem, options.ReviewerRoleCode, options.ReviewerRoleDisplay, options.ReviewerRoleDisplay)],
            Owner = OptionalReference(options.ReviewOwner),
            Input = [new Task.ParameterComponent { Type = new CodeableConcept { Text = "AI draft report" }, Value = new ResourceReference(reportUrl) }],
        };
    }

    private Provenance Provenance(DraftReportRequest request, DraftKeys keys, IEnumerable<string> targets, string deviceUrl,
        IReadOnlyList<SupersededDraft> superseded)
    {
        var provenance = new Provenance
        {
            Meta = new Meta(),
            Target = targets.Select(url => new ResourceReference(url)).ToList(),
            Occurred = new FhirDateTime(request.Issued),
            Recorded = request.Issued,
            Activity = DraftCodes.CreateActivity(),
            Agent =
            [
                new Provenance.AgentComponent { Type = DraftCodes.AgentType("author"), Who = new ResourceReference(deviceUrl) },
                new Provenance.AgentComponent { Type = DraftCodes.AgentType("custodian"), Who = Operator() },
            ],
            Entity =
            [
                new Provenance.EntityComponent { Role = Hl7.Fhir.Model.Provenance.ProvenanceEntityRole.Source, What = new ResourceReference(request.Study.ImagingStudy) },
                new Provenance.EntityComponent
                {
                    Role = Hl7.Fhir.Model.Provenance.ProvenanceEntityRole.Source,
                    What = new ResourceReference
                    {
                        Identifier = new Identifier(DraftCodes.DicomUid, $"urn:oid:{request.Study.SourceImageSopInstanceUid}"),
                        Display = "Source image (DICOM SOP Instance)",
                    },
                },
            ],
        };
        provenance.Meta.Tag = [new Coding(keys.ProvenanceTagSystem, keys.Key)];
        foreach (var old in superseded)
        {
            // Links the new draft to the one it replaces: "revision" = derived from an earlier version.
            provenance.Entity.Add(new Provenance.EntityComponent
            {
                Role = Hl7.Fhir.Model.Provenance.ProvenanceEntityRole.Revision,
                What = new ResourceReference($"DiagnosticReport/{old.Report.Id}"),
            });
        }
        return provenance;
    }

    /// <summary>A superseded draft stays readable but is cancelled, which EHRs show; If-Match guards against lost updates.</summary>
    private static Bundle.EntryComponent Cancel(Resource read, Uri serverBase)
    {
        var old = (Resource)read.DeepCopy(); // the caller's copy stays as read
        switch (old)
        {
            case DiagnosticReport report:
                report.Status = DiagnosticReport.DiagnosticReportStatus.Cancelled;
                report.Conclusion = "Superseded by a newer AI draft (see Provenance); not reviewed.";
                break;
            case Observation finding:
                finding.Status = ObservationStatus.Cancelled;
                break;
            case Task task:
                task.Status = Hl7.Fhir.Model.Task.TaskStatus.Cancelled;
                task.BusinessStatus = DraftCodes.Superseded();
                break;
        }
        return new Bundle.EntryComponent
        {
            FullUrl = new Uri(new Uri(serverBase.ToString().TrimEnd('/') + "/"), $"{old.TypeName}/{old.Id}").ToString(), // bdl-7: absolute, never relative
            Resource = old,
            Request = new Bundle.RequestComponent
            {
                Method = Bundle.HTTPVerb.PUT,
                Url = $"{old.TypeName}/{old.Id}",
                IfMatch = $"W/\"{old.Meta?.VersionId}\"",
            },
        };
    }

    private static string NewUrn() => $"urn:uuid:{Guid.NewGuid()}";

    private Attachment Attachment(string contentType, string text, string title, DateTimeOffset created) => new()
    {
        ContentType = contentType,
        Language = options.Language,
        Data = Encoding.UTF8.GetBytes(text),
        Title = title,
        Creation = new FhirDateTime(created).Value,
    };

    private static string Html(string title, string text) =>
        $"<!DOCTYPE html><html><body><h1>{WebUtility.HtmlEncode(title)}</h1>" +
        string.Concat(text.Split('\n').Select(line => $"<p>{WebUtility.HtmlEncode(line)}</p>")) + "</body></html>";

    private ResourceReference Operator() => new()
    {
        Identifier = new Identifier(options.OperatorSystem, options.OperatorValue),
        Display = options.OperatorName,
        Type = "Organization",
    };

    private static Meta AiMeta() => new() { Security = [DraftCodes.AiAsserted()] };

    private static ResourceReference? OptionalReference(string? reference) =>
        string.IsNullOrEmpty(reference) ? null : new ResourceReference(reference);
}

/// <summary>
/// An older draft of the same study and model, its open review Task and its standalone findings, as read (with
/// versions, for If-Match), and the base URL of the server they were read from (their entries' absolute fullUrl).
/// </summary>
public sealed record SupersededDraft(DiagnosticReport Report, Task? Task, Uri ServerBase)
{
    public IReadOnlyList<Observation> Findings { get; init; } = [];
}
