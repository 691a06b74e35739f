using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Options;

/// <summary>Checked at start (ValidateOnStart): every message names the setting and what it must be.</summary>
public sealed class StudySourcesOptionsValidator : IValidateOptions<StudySourcesOptions>
{
    public ValidateOptionsResult Validate(string? name, StudySourcesOptions options)
    {
        var errors = new List<string>();
        const string s = StudySourcesOptions.Section;
        Positive(errors, $"{s}:Stability:QuietPeriod", options.Stability.QuietPeriod, allowZero: true);
        Positive(errors, $"{s}:Stability:SweepInterval", options.Stability.SweepInterval);
        Positive(errors, $"{s}:Retry:FirstDelay", options.Retry.FirstDelay);
        if (options.Retry.MaxDelay < options.Retry.FirstDelay)
            errors.Add($"{s}:Retry:MaxDelay must be at least {s}:Retry:FirstDelay");

        if (options.FhirNotifications.Enabled && !options.FhirNotifications.Path.StartsWith('/'))
            errors.Add($"{s}:FhirNotifications:Path must start with '/'");

        var orthanc = options.Orthanc;
        if (orthanc.Enabled)
        {
            HttpUrl(errors, $"{s}:Orthanc:Url", orthanc.Url);
            HttpUrl(errors, $"{s}:Orthanc:DicomWebUrl", orthanc.DicomWebUrl);
            Positive(errors, $"{s}:Orthanc:Interval", orthanc.Interval);
            if (orthanc.PageSize is < 1 or > 10_000) errors.Add($"{s}:Orthanc:PageSize must be between 1 and 10000");
        }

        var qido = options.Qido;
        if (qido.Enabled)
        {
            HttpUrl(errors, $"{s}:Qido:Url", qido.Url);
            Positive(errors, $"{s}:Qido:Interval", qido.Interval);
            if (qido.LookbackDays is < 0 or > 366) errors.Add($"{s}:Qido:LookbackDays must be between 0 and 366");
            if (qido.Limit is < 1 or > 10_000) errors.Add($"{s}:Qido:Limit must be between 1 and 10000");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static void HttpUrl(List<string> errors, string setting, string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            errors.Add($"{setting} must be an absolute http(s) URL (got \"{value}\")");
    }

    public static void Positive(List<string> errors, string setting, TimeSpan value, bool allowZero = false)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
            errors.Add($"{setting} must be a positive duration such as 00:00:05 (got {value})");
    }
}
