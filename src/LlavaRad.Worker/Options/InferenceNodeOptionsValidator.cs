using LlavaRad.Contracts;
using LlavaRad.Worker.Configuration;

namespace LlavaRad.Worker.Options;

/// <summary>Where the GPU node is, checked at start.</summary>
public sealed class InferenceNodeOptionsValidator : SettingsValidator<InferenceNodeClientOptions>
{
    protected override void Check(InferenceNodeClientOptions options, SettingProblems problems)
    {
        const string s = InferenceNodeClientOptions.Section;
        problems.HttpUrl($"{s}:Address", options.Address?.OriginalString);
        problems.Positive($"{s}:CallTimeout", options.CallTimeout);
        problems.When(options.MaxAttempts < 1, $"{s}:MaxAttempts must be at least 1 (got {options.MaxAttempts})");
    }
}
