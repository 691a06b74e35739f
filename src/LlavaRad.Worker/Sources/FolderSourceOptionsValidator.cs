using LlavaRad.Worker.Configuration;

namespace LlavaRad.Worker.Sources;

/// <summary>The watched folder's timings, checked at start.</summary>
public sealed class FolderSourceOptionsValidator : SettingsValidator<FolderSourceOptions>
{
    protected override void Check(FolderSourceOptions o, SettingProblems problems)
    {
        problems.When(o.StableAfter < TimeSpan.Zero, "FolderSource:StableAfter must not be negative");
        problems.When(o.ScanInterval <= TimeSpan.Zero, "FolderSource:ScanInterval must be positive");
    }
}
