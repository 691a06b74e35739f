namespace LlavaRad.Worker.Sources;

/// <summary>
/// Where a path in the watched folder really leads. A symbolic link (absolute, relative with "../", or a linked
/// directory) could otherwise make the worker read, and draft against a patient, files from anywhere on the host.
/// </summary>
public static class WatchedFolderPaths
{
    private const int MaxLinkHops = 40; // as the kernel's ELOOP limit

    /// <summary>Whether the path, with every link on it resolved, stays inside <paramref name="root"/>.</summary>
    public static bool StaysInside(string root, string path)
    {
        var realRoot = RealPath(root);
        var real = RealPath(path);
        return real == realRoot || real.StartsWith(realRoot.TrimEnd('/') + "/", StringComparison.Ordinal);
    }

    /// <summary>The absolute path with every symbolic link on it resolved, component by component, like realpath(3).</summary>
    public static string RealPath(string path)
    {
        var pending = new Stack<string>(Components(Path.GetFullPath(path)).Reverse());
        var current = "/";
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".") continue;
            if (part == "..") { current = Path.GetDirectoryName(current) ?? "/"; continue; }
            var next = Path.Join(current, part);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                current = next;
                continue;
            }
            if (++hops > MaxLinkHops) throw new IOException("too many levels of symbolic links");
            if (Path.IsPathRooted(target)) current = "/";
            foreach (var step in Components(target).Reverse()) pending.Push(step);
        }
        return current;
    }

    private static string[] Components(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
