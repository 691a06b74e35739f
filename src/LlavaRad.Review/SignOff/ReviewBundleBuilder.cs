using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using LlavaRad.Fhir;
using Task = Hl7.Fhir.Model.Task;

namespace LlavaRad.Review.SignOff;

/// <summary>
/// The review's writes as transaction Bundles, so each decision lands whole or not at all:
/// open (Task requested -> in-progress), sign (final DiagnosticReport + Provenance + Task completed) and reject
/// (draft cancelled + Task cancelled with the coded reason). Updates carry If-Match where the version is known.
/// </summary>
public static class ReviewBundleBuilder
{
    public static Bundle Open(DraftResources draft, Reviewer reviewer)
    {
        var task = Copy(draft.Task);
        task.Status = Task.TaskStatus.InProgress;
        task.BusinessStatus = ReviewCodes.BusinessStatus("in-review", "AI draft in radiologist review");
        task.Owner = ReviewerReference(reviewer);
        return Transaction(Update(task, draft.TaskReference, draft.TaskVersion, draft));
    }

    public static Bundle Sign(DraftResources draft, string reviewId, string finalText, Reviewer reviewer, DateTimeOffset at)
    {
        var bundle = Transaction();
        var practitioner = AddReviewer(bundle, reviewer);
        var finalUrl = $"urn:uuid:{Guid.NewGuid()}";
        var source = draft.Report;
        var final = new DiagnosticReport
        {
            Identifier = [new Identifier(ReviewCodes.FinalReportSystem, reviewId)],
            BasedOn = source.BasedOn.Select(r => (ResourceReference)r.DeepCopy()).ToList(),
            Status = DiagnosticReport.DiagnosticReportStatus.Final,
            Category = source.Category.Select(c => (CodeableConcept)c.DeepCopy()).ToList(),
            Code = (CodeableConcept)source.Code.DeepCopy(),
            Subject = (ResourceReference?)source.Subject?.DeepCopy(),
            Encounter = (ResourceReference?)source.Encounter?.DeepCopy(),
            Effective = (DataType?)source.Effective?.DeepCopy(),
            Issued = at,
            ResultsInterpreter = [new ResourceReference(practitioner)],
            ImagingStudy = source.ImagingStudy.Select(r => (ResourceReference)r.DeepCopy()).ToList(),
            Conclusion = finalText,
            PresentedForm =
            [
                new Attachment
                {
                    ContentType = "text/plain", Data = Encoding.UTF8.GetBytes(finalText), Title = "Final report (radiologist-signed)",
                    Creation = new FhirDateTime(at).Value,
                },
            ],
        };
        // R4 has no DiagnosticReport element for "replaces": the draft is named by Provenance (revision) below.
        bundle.Entry.Add(Create(finalUrl, final, Condition("identifier", ReviewCodes.FinalReportSystem, reviewId)));
        bundle.Entry.Add(Create($"urn:uuid:{Guid.NewGuid()}", new Provenance
        {
            Target = [new ResourceReference(finalUrl)],
            Recorded = at,
            Activity = ReviewCodes.Activity("UPDATE", "revise"),
            Agent =
            [
                new Provenance.AgentComponent { Type = ReviewCodes.AgentType("author"), Who = new ResourceReference(practitioner) },
                new Provenance.AgentComponent
                {
                    // R4's participant types have no "contributor"; the AI assembled the draft the author revised.
                    Type = ReviewCodes.AgentType("assembler", "contributor (AI draft)"),
                    Who = new ResourceReference(draft.DeviceReference),
                },
            ],
            Entity = [new Provenance.EntityComponent { Role = Provenance.ProvenanceEntityRole.Revision, What = new ResourceReference(draft.ReportReference) }],
        }, null));

        var task = Copy(draft.Task);
        task.Status = Task.TaskStatus.Completed;
        task.BusinessStatus = ReviewCodes.BusinessStatus("signed", "Signed by the radiologist");
        task.Owner = new ResourceReference(practitioner);
        task.Output = [new Task.OutputComponent { Type = new CodeableConcept { Text = "Final report" }, Value = new ResourceReference(finalUrl) }];
        bundle.Entry.Add(Update(task, draft.TaskReference, draft.TaskVersion, draft));
        return bundle;
    }

    public static Bundle Reject(DraftResources draft, string reasonCode, Reviewer reviewer)
    {
        var bundle = Transaction();
        var practitioner = AddReviewer(bundle, reviewer);
        var reason = new CodeableConcept(ReviewCodes.RejectReasonSystem, reasonCode, ReviewCodes.RejectReasons[reasonCode], ReviewCodes.RejectReasons[reasonCode]);

        var report = Copy(draft.Report);
        report.Status = DiagnosticReport.DiagnosticReportStatus.Cancelled; // retired: EHRs stop showing it as a current draft
        report.Conclusion = $"AI draft rejected by the radiologist: {reason.Text}.";
        bundle.Entry.Add(Update(report, draft.ReportReference, draft.ReportVersion, draft));

        var task = Copy(draft.Task);
        task.Status = Task.TaskStatus.Cancelled;
        task.StatusReason = reason;
        task.BusinessStatus = ReviewCodes.BusinessStatus("rejected", "AI draft rejected");
        task.Owner = new ResourceReference(practitioner);
        bundle.Entry.Add(Update(task, draft.TaskReference, draft.TaskVersion, draft));
        return bundle;
    }

    /// <summary>The local reviewer's Practitioner is created once, by identifier; a SMART user is already on the server.</summary>
    private static string AddReviewer(Bundle bundle, Reviewer reviewer)
    {
        if (reviewer.PractitionerReference is { } reference) return reference;
        var url = $"urn:uuid:{Guid.NewGuid()}";
        bundle.Entry.Add(Create(url, new Practitioner
        {
            Identifier = [new Identifier(Reviewer.LocalSystem, Reviewer.LocalValue)],
            Name = [new HumanName { Text = reviewer.Display }],
        }, Condition("identifier", Reviewer.LocalSystem, Reviewer.LocalValue)));
        return url;
    }

    private static ResourceReference ReviewerReference(Reviewer reviewer) =>
        reviewer.PractitionerReference is { } reference ? new ResourceReference(reference)
            : new ResourceReference { Identifier = new Identifier(Reviewer.LocalSystem, Reviewer.LocalValue), Display = reviewer.Display };

    private static T Copy<T>(T resource) where T : Resource => (T)resource.DeepCopy();

    private static Bundle Transaction(params Bundle.EntryComponent[] entries) => new() { Type = Bundle.BundleType.Transaction, Entry = [.. entries] };

    private static string Condition(string parameter, string system, string code) =>
        new SearchParams().Token(parameter, system, code).QueryString();

    private static Bundle.EntryComponent Create(string fullUrl, Resource resource, string? ifNoneExist) => new()
    {
        FullUrl = fullUrl,
        Resource = resource,
        Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = resource.TypeName, IfNoneExist = ifNoneExist },
    };

    /// <summary>A PUT to "Type/id" (or a conditional "Type?identifier=..." for a local bundle).</summary>
    private static Bundle.EntryComponent Update(Resource resource, string reference, string? version, DraftResources draft) => new()
    {
        FullUrl = draft.FullUrlOf(reference),
        Resource = resource,
        Request = new Bundle.RequestComponent
        {
            Method = Bundle.HTTPVerb.PUT,
            Url = reference,
            IfMatch = version is null ? null : $"W/\"{version}\"",
        },
    };
}
