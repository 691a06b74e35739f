using Microsoft.Extensions.Options;

namespace LlavaRad.Review;

/// <summary>The review app's settings (configuration section "Review").</summary>
public sealed class ReviewOptions
{
    public const string Section = "Review";

    /// <summary>Serve the app from this host (the worker maps it only when enabled).</summary>
    public bool Enabled { get; set; }

    /// <summary>Where the drafts under review are kept (one folder per draft, with the frontal image the model saw).</summary>
    public string ArchiveFolder { get; set; } = "review-archive";

    /// <summary>Without a FHIR server, where signing writes the final bundle (the demo's output folder).</summary>
    public string OutputFolder { get; set; } = "review-output";

    /// <summary>"local": one labelled single-user reviewer, for the demo and a workstation. No other mode is built yet.</summary>
    public string AuthMode { get; set; } = "local";

    /// <summary>A session ends this long after sign-in, active or not.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the worklist page asks for fresh rows.</summary>
    public TimeSpan WorklistRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>With a FHIR server, how often to look for final reports written elsewhere (they supersede the draft).</summary>
    public TimeSpan FinalReportPoll { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class ReviewOptionsValidator : IValidateOptions<ReviewOptions>
{
    public ValidateOptionsResult Validate(string? name, ReviewOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ArchiveFolder)) failures.Add("Review:ArchiveFolder is empty");
        if (string.IsNullOrWhiteSpace(options.OutputFolder)) failures.Add("Review:OutputFolder is empty");
        if (options.AuthMode != "local") failures.Add($"Review:AuthMode \"{options.AuthMode}\" is not supported (local)");
        if (options.SessionLifetime <= TimeSpan.Zero || options.SessionLifetime > TimeSpan.FromHours(12))
            failures.Add("Review:SessionLifetime must be between 0 and 12 hours");
        if (options.WorklistRefresh < TimeSpan.FromSeconds(1)) failures.Add("Review:WorklistRefresh must be at least 1 second");
        if (options.FinalReportPoll < TimeSpan.FromSeconds(1)) failures.Add("Review:FinalReportPoll must be at least 1 second");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
