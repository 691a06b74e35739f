using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Configuration;

/// <summary>
/// The one way the worker validates an options class: registered next to its Bind with ValidateOnStart, it gathers
/// every problem (as MONAI Deploy's ConfigurationValidator does) so an operator fixes them all in one round, each
/// message naming the setting and what it must be.
/// </summary>
public abstract class SettingsValidator<T> : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var problems = new SettingProblems();
        Check(options, problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Adds one message per problem; never stops at the first.</summary>
    protected abstract void Check(T options, SettingProblems problems);
}

/// <summary>The problems found so far, with the checks the worker's settings share.</summary>
public sealed class SettingProblems : List<string>
{
    public void When(bool wrong, string message)
    {
        if (wrong) Add(message);
    }

    public void HttpUrl(string setting, string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            Add($"{setting} must be an absolute http(s) URL (got \"{value}\")");
    }

    public void Positive(string setting, TimeSpan value, bool allowZero = false)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
            Add($"{setting} must be a positive duration such as 00:00:05 (got {value})");
    }
}
