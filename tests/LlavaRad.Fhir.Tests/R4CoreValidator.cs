using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace LlavaRad.Fhir.Tests;

/// <summary>
/// Firely's validator against the R4 core specification (specification.zip from Hl7.Fhir.Specification.Data.R4,
/// copied next to the test assembly): offline, no terminology server. The validator is not thread-safe, so each
/// test class makes its own.
/// </summary>
public sealed class R4CoreValidator
{
    private readonly Validator _validator;

    public R4CoreValidator()
    {
        var zip = Path.Combine(AppContext.BaseDirectory, "specification.zip");
        if (!File.Exists(zip)) throw new FileNotFoundException("R4 specification.zip missing from the test output", zip);
        var resolver = new CachedResolver(new ZipSource(zip));
        _validator = new Validator(resolver, new LocalTerminologyService(resolver));
    }

    /// <summary>Errors and fatal issues, as "location: message" lines (empty when the resource is valid).</summary>
    public IReadOnlyList<string> Errors(Resource resource) =>
        _validator.Validate(resource).Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{string.Join(",", i.Expression)}: {i.Details?.Text ?? i.Diagnostics}")
            .ToList();
}
