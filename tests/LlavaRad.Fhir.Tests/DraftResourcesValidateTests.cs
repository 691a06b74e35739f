using Hl7.Fhir.Model;
using LlavaRad.Fhir.WriteBack;

namespace LlavaRad.Fhir.Tests;

public class DraftResourcesValidateTests(R4CoreValidator validator) : IClassFixture<R4CoreValidator>
{
    private readonly R4CoreValidator _validator = validator;
    private readonly WriteBackOptions _options = new();

    public static TheoryData<string> Variants() => new("with-order", "no-order-no-findings", "superseding", "contained-findings");

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryResourceInTheTransactionValidatesAgainstR4Core(string variant)
    {
        var bundle = BundleFor(variant);

        var errors = bundle.Entry.SelectMany(e => _validator.Errors(e.Resource!).Select(m => $"{e.Resource!.TypeName}: {m}")).ToList();

        Assert.NotEmpty(bundle.Entry);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void WithTheUsCoreOptionTheReportClaimsTheNoteProfileAndIsOtherwiseValidR4()
    {
        // US Core's profiles are not served offline here (no package carries them), so the validator can only say it
        // cannot resolve the claimed profile; every other R4 core rule still holds.
        var report = BundleFor("us-core-profile").Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single();

        Assert.Equal([DraftBundleBuilder.UsCoreNoteProfile], report.Meta!.Profile);
        var errors = _validator.Errors(report).Where(e => !e.Contains($"Unable to resolve reference to profile '{DraftBundleBuilder.UsCoreNoteProfile}'", StringComparison.Ordinal));
        Assert.Empty(errors);
    }

    [Fact]
    public void TheTransactionBundleItselfValidates()
    {
        var errors = _validator.Errors(BundleFor("with-order"));

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void ValidatorCatchesAnInvalidReport()
    {
        // Proves the validator is not a no-op: a DiagnosticReport without status and code is invalid R4.
        var errors = _validator.Errors(new DiagnosticReport());

        Assert.NotEmpty(errors);
    }

    [Fact]
    public void ValidatorChecksInvariantsOnContainedResources()
    {
        // dom-5: a contained resource must not carry a security label (the real FHIR server refuses it too).
        var report = (DiagnosticReport)BundleFor("contained-findings").Entry.Single(e => e.Resource is DiagnosticReport).Resource!;
        report.Contained[0].Meta = new Meta { Security = [new Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "AIAST")] };

        Assert.Contains(_validator.Errors(report), e => e.Contains("dom-5", StringComparison.Ordinal) || e.Contains("security", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void ValidatorChecksStandaloneFindings()
    {
        // An Observation without status and code is invalid R4: the standalone findings really are validated.
        var finding = (Observation)BundleFor("with-order").Entry.First(e => e.Resource is Observation).Resource!;
        finding.Code = null!;
        finding.Status = null;

        Assert.NotEmpty(_validator.Errors(finding));
    }

    private Bundle BundleFor(string variant)
    {
        var options = variant switch
        {
            "contained-findings" => new WriteBackOptions { ContainFindings = true },
            "us-core-profile" => new WriteBackOptions { DeclareUsCoreProfile = true },
            _ => _options,
        };
        var builder = new DraftBundleBuilder(options);
        var request = variant == "no-order-no-findings" ? SampleDrafts.Request(findings: [], serviceRequest: null) : SampleDrafts.Request();
        var keys = new DraftKeys(request, options);
        if (variant != "superseding") return builder.Build(request, keys, []);
        var older = builder.Build(SampleDrafts.Request("0.9.0"), new DraftKeys(SampleDrafts.Request("0.9.0"), _options), []);
        var oldReport = older.Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single();
        var oldTask = older.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Task>().Single();
        oldReport.Id = "old-report";
        oldReport.Meta!.VersionId = "v1";
        oldTask.Id = "old-task";
        oldTask.Meta = new Meta { VersionId = "v1" }; // as read back from the server
        var oldFindings = older.Entry.Select(e => e.Resource).OfType<Observation>().ToList();
        for (var i = 0; i < oldFindings.Count; i++)
        {
            oldFindings[i].Id = $"old-finding-{i}";
            oldFindings[i].Meta!.VersionId = "v1";
        }
        return builder.Build(request, keys, [new SupersededDraft(oldReport, oldTask, new Uri("https://ehr.example.org/fhir")) { Findings = oldFindings }]);
    }
}
