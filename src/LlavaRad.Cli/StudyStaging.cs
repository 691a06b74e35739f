namespace LlavaRad.Cli;

/// <summary>
/// The folder the embedded worker watches (OUT/input): copies of the input studies, so the originals are only
/// read, and each run starts from exactly the given studies.
/// </summary>
public static class StudyStaging
{
    public const string FolderName = "input";

    public static string Fresh(string outDir)
    {
        var staging = Path.Combine(outDir, FolderName);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        return Directory.CreateDirectory(staging).FullName;
    }

    /// <summary>Copies every study folder (one with .dcm files) under <paramref name="root"/>, keeping its relative path.</summary>
    public static void CopyStudyFolders(string root, string staging)
    {
        foreach (var folder in SampleStudies.StudyFolders(root))
            CopyDicomFiles(folder, Path.Combine(staging, Path.GetRelativePath(root, folder)));
    }

    public static void CopyDicomFiles(string folder, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(folder, "*.dcm"))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
    }

    /// <summary>A folder name under <paramref name="staging"/> from <paramref name="name"/> that is not taken yet.</summary>
    public static string NewStudyFolder(string staging, string name)
    {
        var safe = new string(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
        var candidate = safe;
        for (var n = 2; Directory.Exists(Path.Combine(staging, candidate)); n++) candidate = $"{safe}-{n}";
        return Directory.CreateDirectory(Path.Combine(staging, candidate)).FullName;
    }
}
