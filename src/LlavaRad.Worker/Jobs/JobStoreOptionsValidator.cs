using LlavaRad.Worker.Configuration;

namespace LlavaRad.Worker.Jobs;

/// <summary>The job store's provider, its connection and its numbers, checked at start.</summary>
public sealed class JobStoreOptionsValidator(IConfiguration configuration) : SettingsValidator<JobStoreOptions>
{
    protected override void Check(JobStoreOptions options, SettingProblems problems)
    {
        const string s = JobStoreOptions.Section;
        problems.When(options.Provider is not (JobStoreOptions.Sqlite or JobStoreOptions.PostgreSql),
            $"{s}:Provider \"{options.Provider}\" is neither sqlite nor postgresql");
        problems.When(options.Provider == JobStoreOptions.Sqlite && string.IsNullOrWhiteSpace(options.SqlitePath),
            $"{s}:SqlitePath must name a file when {s}:Provider is sqlite");
        problems.When(options.Provider == JobStoreOptions.PostgreSql && string.IsNullOrWhiteSpace(configuration.GetConnectionString("JobStore")),
            $"{s}:Provider is postgresql but ConnectionStrings:JobStore is empty");
        problems.When(options.MaxAttempts < 1, $"{s}:MaxAttempts must be at least 1 (got {options.MaxAttempts})");
        problems.Positive($"{s}:Lease", options.Lease);
        problems.Positive($"{s}:FirstRetryDelay", options.FirstRetryDelay);
        problems.Positive($"{s}:PriorityStep", options.PriorityStep);
        problems.When(options.MaxRetryDelay < options.FirstRetryDelay, $"{s}:MaxRetryDelay must be at least {s}:FirstRetryDelay");
    }
}
