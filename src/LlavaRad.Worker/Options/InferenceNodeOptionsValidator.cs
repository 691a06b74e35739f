using LlavaRad.Contracts;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Options;

/// <summary>Where the GPU node is, checked at start.</summary>
public sealed class InferenceNodeOptionsValidator : IValidateOptions<InferenceNodeClientOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceNodeClientOptions options)
    {
        var errors = new List<string>();
        const string s = InferenceNodeClientOptions.Section;
        StudySourcesOptionsValidator.HttpUrl(errors, $"{s}:Address", options.Address?.OriginalString);
        StudySourcesOptionsValidator.Positive(errors, $"{s}:CallTimeout", options.CallTimeout);
        if (options.MaxAttempts < 1) errors.Add($"{s}:MaxAttempts must be at least 1 (got {options.MaxAttempts})");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
