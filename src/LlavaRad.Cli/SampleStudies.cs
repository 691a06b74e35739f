using System.Text.Json;

namespace LlavaRad.Cli;

/// <summary>Finds the repository's sample-studies folder from the working directory or the program's folder.</summary>
public static class SampleStudies
{
    public const string FolderName = "sample-studies";

    public static string Locate(string? explicitPath)
    {
        if (explicitPath is not null)
            return Directory.Exists(explicitPath) ? explicitPath
                : throw new CommandFailedException($"studies folder {explicitPath} does not exist");
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, FolderName);
                if (Directory.Exists(candidate)) return candidate;
            }
        throw new CommandFailedException($"no {FolderName} folder above {Directory.GetCurrentDirectory()}; pass --studies DIR");
    }

    /// <summary>Every folder under the root that holds at least one .dcm file, in ordinal order.</summary>
    public static IReadOnlyList<string> StudyFolders(string root) =>
        Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)
            .Where(d => Directory.EnumerateFiles(d, "*.dcm").Any())
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The indication text of each study folder, from manifest.json when it is there.</summary>
    public static IReadOnlyDictionary<string, string> Indications(string root)
    {
        var manifest = Path.Combine(root, "manifest.json");
        if (!File.Exists(manifest)) return new Dictionary<string, string>();
        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        return document.RootElement.GetProperty("studies").EnumerateArray()
            .Where(s => s.TryGetProperty("indication", out _))
            .ToDictionary(s => s.GetProperty("folder").GetString()!, s => s.GetProperty("indication").GetString() ?? "");
    }
}
