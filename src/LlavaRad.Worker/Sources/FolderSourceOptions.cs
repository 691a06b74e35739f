namespace LlavaRad.Worker.Sources;

/// <summary>Bound from "FolderSource": the watched folder of the embedded default.</summary>
public sealed class FolderSourceOptions
{
    public const string Section = "FolderSource";

    /// <summary>The folder to watch; every sub-folder holding .dcm files is a study. Empty: the source is off.</summary>
    public string Path { get; set; } = "";

    /// <summary>A study folder is submitted once no file in it has changed for this long.</summary>
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Follow symbolic links that lead out of <see cref="Path"/>. Off: such files and folders are refused.</summary>
    public bool FollowSymlinks { get; set; }
}
