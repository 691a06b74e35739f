using LlavaRad.Worker.Jobs;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Options;

/// <summary>The job store's numbers, checked at start (the provider itself is checked when the store is wired).</summary>
public sealed class JobStoreOptionsValidator : IValidateOptions<JobStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, JobStoreOptions options)
    {
        var errors = new List<string>();
        const string s = JobStoreOptions.Section;
        if (options.MaxAttempts < 1) errors.Add($"{s}:MaxAttempts must be at least 1 (got {options.MaxAttempts})");
        StudySourcesOptionsValidator.Positive(errors, $"{s}:Lease", options.Lease);
        StudySourcesOptionsValidator.Positive(errors, $"{s}:FirstRetryDelay", options.FirstRetryDelay);
        StudySourcesOptionsValidator.Positive(errors, $"{s}:PriorityStep", options.PriorityStep);
        if (options.MaxRetryDelay < options.FirstRetryDelay) errors.Add($"{s}:MaxRetryDelay must be at least {s}:FirstRetryDelay");
        if (options.Provider == "sqlite" && string.IsNullOrWhiteSpace(options.SqlitePath))
            errors.Add($"{s}:SqlitePath must name a file when {s}:Provider is sqlite");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
