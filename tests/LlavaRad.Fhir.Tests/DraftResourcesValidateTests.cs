using Hl7.Fhir.Model;
using LlavaRad.Fhir.WriteBack;

namespace LlavaRad.Fhir.Tests;

public class DraftResourcesValidateTests(R4CoreValidator validator) : IClassFixture<R4CoreValidator>
{
    private readonly R4CoreValidator _validator = validator;
    private readonly WriteBackOptions _options = new();

    public static TheoryData<string> Variants() => new("with-order", "no-order-no-findings", "superseding");

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
        var report = (DiagnosticReport)BundleFor("with-order").Entry.Single(e => e.Resource is DiagnosticReport).Resource!;
        report.Contained[0].Meta = new Meta { Security = [new Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "AIAST")] };

        Assert.Contains(_validator.Errors(report), e => e.Contains("dom-5", StringComparison.Ordinal) || e.Contains("security", StringComparison.OrdinalIgnoreCase));
    }

    private Bundle BundleFor(string variant)
    {
        var builder = new DraftBundleBuilder(_options);
        var request = variant == "no-order-no-findings" ? SampleDrafts.Request(findings: [], serviceRequest: null) : SampleDrafts.Request();
        var keys = new DraftKeys(request, _options);
        if (variant != "superseding") return builder.Build(request, keys, []);
        var older = builder.Build(SampleDrafts.Request("0.9.0"), new DraftKeys(SampleDrafts.Request("0.9.0"), _options), []);
        var oldReport = older.Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single();
        var oldTask = older.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Task>().Single();
        oldReport.Id = "old-report";
        oldReport.Meta!.VersionId = "v1";
        oldTask.Id = "old-task";
        oldTask.Meta = new Meta { VersionId = "v1" }; // as read back from the server
        return builder.Build(request, keys, [new SupersededDraft(oldReport, oldTask, new Uri("https://ehr.example.org/fhir"))]);
    }
}
