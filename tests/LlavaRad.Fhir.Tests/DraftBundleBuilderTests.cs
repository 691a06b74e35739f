// Firely's model makes every element nullable; a missing one fails these assertions with a NullReferenceException anyway.
#nullable disable warnings
using System.Text;
using Hl7.Fhir.Model;
using LlavaRad.Fhir.WriteBack;
using Task = Hl7.Fhir.Model.Task;

namespace LlavaRad.Fhir.Tests;

/// <summary>What the draft transaction says, checked against the integration anchors (2.1–2.3, 2.7, 2.11) and US Core DiagnosticReport Note.</summary>
public class DraftBundleBuilderTests
{
    private readonly WriteBackOptions _options = new();

    private (Bundle Bundle, DraftKeys Keys) Build(DraftReportRequest request, WriteBackOptions options = null)
    {
        options ??= _options;
        var keys = new DraftKeys(request, options);
        return (new DraftBundleBuilder(options).Build(request, keys, []), keys);
    }

    private static T Single<T>(Bundle bundle) where T : Resource => bundle.Entry.Select(e => e.Resource).OfType<T>().Single();

    [Fact]
    public void TheReportIsAPreliminaryRadiologyReportWithUsCoreNoteMustHaves()
    {
        var request = SampleDrafts.Request();
        var report = Single<DiagnosticReport>(Build(request).Bundle);

        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Preliminary, report.Status);
        Assert.Contains(report.Category, c => c.Coding.Any(x => x.System == "http://loinc.org" && x.Code == "LP29684-5"));
        Assert.Contains(report.Category, c => c.Coding.Any(x => x.System == "http://terminology.hl7.org/CodeSystem/v2-0074" && x.Code == "RAD"));
        Assert.Equal("36554-4", report.Code.Coding.Single().Code); // the order's code
        Assert.Equal("Patient/patient-1", report.Subject.Reference);
        Assert.Equal("Encounter/encounter-1", report.Encounter.Reference);
        Assert.Equal("ServiceRequest/order-1", report.BasedOn.Single().Reference);
        Assert.Equal("ImagingStudy/study-1", report.ImagingStudy.Single().Reference);
        Assert.Equal("2024-02-05T14:22:50+01:00", ((FhirDateTime)report.Effective).Value);
        Assert.Equal(request.Issued, report.Issued);
        Assert.Contains(report.Meta.Security, c => c.System == "http://terminology.hl7.org/CodeSystem/v3-ObservationValue" && c.Code == "AIAST");
        Assert.All(report.Performer, p => Assert.NotEqual("Device", p.Type));
    }

    [Fact]
    public void PresentedFormsAreTitledAsAnUnreviewedAiDraftWithTheModel()
    {
        var report = Single<DiagnosticReport>(Build(SampleDrafts.Request()).Bundle);

        Assert.Equal(["text/plain; charset=utf-8", "text/html; charset=utf-8"], report.PresentedForm.Select(f => f.ContentType));
        Assert.All(report.PresentedForm, form =>
        {
            Assert.Contains("not reviewed", form.Title, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("LLaVA-Rad 1.0.0", form.Title);
            Assert.Contains("pleural effusion", Encoding.UTF8.GetString(form.Data));
        });
    }

    [Fact]
    public void HtmlFormEscapesModelText()
    {
        var request = SampleDrafts.Request() with { FindingsText = "<script>alert(1)</script> & more" };
        var html = Encoding.UTF8.GetString(Single<DiagnosticReport>(Build(request).Bundle).PresentedForm[1].Data);

        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Fact]
    public void WithoutAnOrderTheCodeFallsBackToChestXrayAndTheTaskHasNoBasedOn()
    {
        var request = SampleDrafts.Request(serviceRequest: null) with { Study = SampleDrafts.Request().Study with { ServiceRequest = null, OrderCode = null } };
        var bundle = Build(request).Bundle;

        Assert.Equal(("http://loinc.org", "36643-5"), (Single<DiagnosticReport>(bundle).Code.Coding[0].System, Single<DiagnosticReport>(bundle).Code.Coding[0].Code));
        Assert.Empty(Single<DiagnosticReport>(bundle).BasedOn);
        Assert.Empty(Single<Task>(bundle).BasedOn);
    }

    [Theory]
    [InlineData(WorklistUrgency.Routine, RequestPriority.Routine)]
    [InlineData(WorklistUrgency.Urgent, RequestPriority.Urgent)]
    [InlineData(WorklistUrgency.Stat, RequestPriority.Stat)]
    public void TheTaskCarriesTheWorklistPriorityFocusesTheReportAndIsBasedOnTheOrder(WorklistUrgency urgency, RequestPriority expected)
    {
        var bundle = Build(SampleDrafts.Request() with { Urgency = urgency }).Bundle;
        var task = Single<Task>(bundle);

        Assert.Equal(expected, task.Priority);
        Assert.Equal(bundle.Entry.Single(e => e.Resource is DiagnosticReport).FullUrl, task.Focus.Reference);
        Assert.Equal("ServiceRequest/order-1", task.BasedOn.Single().Reference);
        Assert.Equal("Patient/patient-1", task.For.Reference);
        Assert.Equal(Task.TaskStatus.Requested, task.Status);
        Assert.Equal(("urn:llavarad:task-business-status", "awaiting-review"), (task.BusinessStatus.Coding[0].System, task.BusinessStatus.Coding[0].Code));
        Assert.Equal(("http://hl7.org/fhir/CodeSystem/task-code", "approve"), (task.Code.Coding[0].System, task.Code.Coding[0].Code));
    }

    [Fact]
    public void TheTaskIsRoutedToARadiologistByDefaultAndToTheConfiguredOwner()
    {
        Assert.Equal(("http://snomed.info/sct", "66862007"),
            Single<Task>(Build(SampleDrafts.Request()).Bundle).PerformerType.Single().Coding.Select(c => (c.System, c.Code)).Single());
        Assert.Null(Single<Task>(Build(SampleDrafts.Request()).Bundle).Owner);

        _options.ReviewOwner = "PractitionerRole/reading-room-1";
        Assert.Equal("PractitionerRole/reading-room-1", Single<Task>(Build(SampleDrafts.Request()).Bundle).Owner.Reference);
    }

    [Fact]
    public void OnlyTheReportAndItsFindingsCarryTheAiAssertedLabelAndTheProvenanceSaysWhenItHappened()
    {
        var request = SampleDrafts.Request();
        var bundle = Build(request).Bundle;

        static bool Aiast(Resource r) => r.Meta?.Security.Any(c => c.Code == "AIAST") == true;
        Assert.Equal([nameof(DiagnosticReport), nameof(Observation), nameof(Observation)],
            bundle.Entry.Where(e => Aiast(e.Resource)).Select(e => e.Resource.TypeName));
        Assert.Equal(new FhirDateTime(request.Issued).Value, ((FhirDateTime)Single<Provenance>(bundle).Occurred).Value);
    }

    [Fact]
    public void EveryCreateIsConditionalOnItsOwnIdentifier()
    {
        var (bundle, keys) = Build(SampleDrafts.Request());

        Assert.All(bundle.Entry, e =>
        {
            Assert.Equal(Bundle.HTTPVerb.POST, e.Request.Method);
            Assert.StartsWith("urn:uuid:", e.FullUrl);
            Assert.False(string.IsNullOrEmpty(e.Request.IfNoneExist));
        });
        // Spelled out from DraftKeys' documented scheme (IdentifierSystemBase + ":ai-cxr-draft"), not read back from the keys.
        var report = Single<DiagnosticReport>(bundle);
        var reportId = report.Identifier.Single(i => i.System == "urn:llavarad:sid:ai-cxr-draft");
        Assert.Equal($"identifier=urn:llavarad:sid:ai-cxr-draft|{reportId.Value}", Uri.UnescapeDataString(bundle.Entry.Single(e => e.Resource is DiagnosticReport).Request.IfNoneExist));
        Assert.Equal(bundle.Entry.Count, bundle.Entry.Select(e => e.Request.IfNoneExist).Distinct().Count());
    }

    [Fact]
    public void StandaloneObservationsCoverPositiveAndUncertainFindingsWithDeviceAndDerivedFrom()
    {
        var bundle = Build(SampleDrafts.Request()).Bundle;
        var deviceUrl = bundle.Entry.Single(e => e.Resource is Device).FullUrl;
        var report = Single<DiagnosticReport>(bundle);
        var entries = bundle.Entry.Where(e => e.Resource is Observation).ToList();
        var observations = entries.Select(e => (Observation)e.Resource).ToList();

        Assert.Equal(["8186001", "60046008"], observations.Select(o => o.Code.Coding[0].Code));
        Assert.All(observations, o =>
        {
            Assert.Equal(deviceUrl, o.Device.Reference);
            Assert.Equal("ImagingStudy/study-1", o.DerivedFrom.Single().Reference);
            Assert.Equal(ObservationStatus.Preliminary, o.Status);
            Assert.Equal("Patient/patient-1", o.Subject.Reference);
        });
        Assert.NotEqual(((CodeableConcept)observations[0].Value).Coding[0].Code, ((CodeableConcept)observations[1].Value).Coding[0].Code);
        Assert.Equal(entries.Select(e => e.FullUrl), report.Result.Select(r => r.Reference));
        Assert.Empty(report.Contained);
    }

    [Fact]
    public void AStandardCodeComesFirstAndTheLabelersOwnCodeRidesAlong()
    {
        var label = new FindingLabel(new CodedConcept("urn:llavarad:chexpert", "PleuralEffusion", "Pleural Effusion"), FindingCertainty.Positive,
            new CodedConcept("http://snomed.info/sct", "60046008", "Pleural effusion"));
        var noStandard = new FindingLabel(new CodedConcept("urn:llavarad:chexpert", "LungOpacity", "Lung Opacity"), FindingCertainty.Uncertain);

        var observations = Build(SampleDrafts.Request(findings: [label, noStandard])).Bundle.Entry
            .Select(e => e.Resource).OfType<Observation>().ToList();

        Assert.Equal(["http://snomed.info/sct|60046008|Pleural effusion", "urn:llavarad:chexpert|PleuralEffusion|Pleural Effusion"],
            observations[0].Code.Coding.Select(c => $"{c.System}|{c.Code}|{c.Display}"));
        Assert.Equal(["urn:llavarad:chexpert|LungOpacity"], observations[1].Code.Coding.Select(c => $"{c.System}|{c.Code}"));
    }

    [Fact]
    public void TheContainOptionKeepsFindingsInsideTheReport()
    {
        var options = new WriteBackOptions { ContainFindings = true };
        var bundle = Build(SampleDrafts.Request(), options).Bundle;
        var report = Single<DiagnosticReport>(bundle);
        var observations = report.Contained.OfType<Observation>().ToList();

        Assert.Equal(["8186001", "60046008"], observations.Select(o => o.Code.Coding[0].Code));
        Assert.Equal(observations.Select(o => $"#{o.Id}"), report.Result.Select(r => r.Reference));
        Assert.All(observations, o => Assert.Null(o.Meta)); // dom-5: no security labels on contained resources
        Assert.DoesNotContain(bundle.Entry, e => e.Resource is Observation);
    }

    [Fact]
    public void ProvenanceTargetsEverythingWrittenAndNamesDeviceOperatorStudyAndImage()
    {
        var bundle = Build(SampleDrafts.Request()).Bundle;
        var provenance = Single<Provenance>(bundle);
        var written = bundle.Entry.Where(e => e.Resource is DiagnosticReport or Observation or Task).Select(e => e.FullUrl);

        Assert.Equal(written.Order(), provenance.Target.Select(t => t.Reference).Order());
        Assert.Equal(bundle.Entry.Single(e => e.Resource is Device).FullUrl, provenance.Agent[0].Who.Reference);
        Assert.Equal("Organization", provenance.Agent[1].Who.Type);
        Assert.Contains(provenance.Entity, e => e.What.Reference == "ImagingStudy/study-1");
        Assert.Contains(provenance.Entity, e => e.What.Identifier?.Value == "urn:oid:2.25.99887766554433221100");
        Assert.Equal("CREATE", provenance.Activity.Coding[0].Code);
    }

    [Fact]
    public void WithContainedFindingsFourteenFindingsAndASupersededDraftFitAnEightEntryLimit()
    {
        var options = new WriteBackOptions { ContainFindings = true };
        var findings = Enumerable.Range(1, 14)
            .Select(i => new FindingLabel(new CodedConcept("urn:llavarad:chexpert", $"label-{i}", $"Label {i}"), FindingCertainty.Positive)).ToList();
        var old = new SupersededDraft(new DiagnosticReport { Id = "old", Meta = new Meta { VersionId = "1" } }, new Task { Id = "t", Meta = new Meta { VersionId = "1" } },
            new Uri("https://ehr.example.org/fhir/"));
        var request = SampleDrafts.Request(findings: findings);

        var bundle = new DraftBundleBuilder(options).Build(request, new DraftKeys(request, options), [old]);

        Assert.True(bundle.Entry.Count <= 8, $"{bundle.Entry.Count} entries");
        Assert.Equal(["https://ehr.example.org/fhir/DiagnosticReport/old", "https://ehr.example.org/fhir/Task/t"],
            bundle.Entry.Where(e => e.Request.Method == Bundle.HTTPVerb.PUT).Select(e => e.FullUrl));
        Assert.Equal(14, ((DiagnosticReport)bundle.Entry.Single(e => e.Resource is DiagnosticReport && e.Request.Method == Bundle.HTTPVerb.POST).Resource).Contained.Count);
    }

    [Fact]
    public void SupersedingCancelsTheOlderDraftsStandaloneFindingsWithIfMatch()
    {
        var oldFinding = new Observation { Id = "f1", Meta = new Meta { VersionId = "3" }, Status = ObservationStatus.Preliminary, Code = new CodeableConcept("http://snomed.info/sct", "8186001") };
        var old = new SupersededDraft(new DiagnosticReport { Id = "old", Meta = new Meta { VersionId = "1" } }, null, new Uri("https://ehr.example.org/fhir"))
        {
            Findings = [oldFinding],
        };
        var request = SampleDrafts.Request();

        var bundle = new DraftBundleBuilder(_options).Build(request, new DraftKeys(request, _options), [old]);

        var cancel = bundle.Entry.Single(e => e.Request.Method == Bundle.HTTPVerb.PUT && e.Resource is Observation);
        Assert.Equal(ObservationStatus.Cancelled, ((Observation)cancel.Resource).Status);
        Assert.Equal("https://ehr.example.org/fhir/Observation/f1", cancel.FullUrl);
        Assert.Equal("W/\"3\"", cancel.Request.IfMatch);
        Assert.Equal(ObservationStatus.Preliminary, oldFinding.Status); // the caller's copy stays as read
    }

    [Fact]
    public void TheDeviceCarriesNameVersionAndWeightsHash()
    {
        var device = Single<Device>(Build(SampleDrafts.Request()).Bundle);

        Assert.Equal("LLaVA-Rad", device.DeviceName.Single().Name);
        Assert.Equal("1.0.0", device.Version.Single().Value);
        Assert.Equal(new string('a', 64), device.Identifier.Single().Value);
    }

    [Fact]
    public void TheDeviceNamesTheWeightsLicenceAndItsAcknowledgement()
    {
        const string licence = "LLaVA-Rad (Microsoft Research licence): research use only";
        var request = SampleDrafts.Request() with
        {
            Model = new ModelIdentity("microsoft/llava-rad", "LLaVA-Rad", "1.0.0", new string('a', 64), licence, ResearchUseAcknowledged: true),
        };

        var note = Single<Device>(Build(request).Bundle).Note.Single().Text;

        Assert.Contains(licence, note);
        Assert.Contains("acknowledged by the operator: yes", note);
        Assert.DoesNotContain("licence", Single<Device>(Build(SampleDrafts.Request()).Bundle).Note.Single().Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheIdempotencyKeyDependsOnStudyModelVersionAndPipelineOnly()
    {
        var baseline = SampleDrafts.Request();
        string Key(DraftReportRequest r) => new DraftKeys(r, _options).Key;

        Assert.Equal(Key(baseline), Key(baseline with { Issued = DateTimeOffset.UnixEpoch, FindingsText = "other" }));
        Assert.NotEqual(Key(baseline), Key(SampleDrafts.Request("2.0.0")));
        Assert.NotEqual(Key(baseline), Key(baseline with { PipelineVersion = "pipeline-2" }));
        Assert.NotEqual(Key(baseline), Key(baseline with { Model = baseline.Model with { Id = "other/model" } }));
        Assert.NotEqual(Key(baseline), Key(baseline with { Study = baseline.Study with { StudyInstanceUid = "2.25.1" } }));
        Assert.Equal(new DraftKeys(baseline, _options).StudyLine, new DraftKeys(SampleDrafts.Request("2.0.0"), _options).StudyLine);
        Assert.DoesNotContain(baseline.Study.StudyInstanceUid, Key(baseline));
    }
}
