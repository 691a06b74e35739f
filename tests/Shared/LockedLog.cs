using System.Text;

namespace LlavaRad.Tests.Shared;

/// <summary>Process output handlers append to a log on other threads under a lock on it; reads take the same lock.</summary>
public static class LockedLog
{
    public static string Read(this StringBuilder log)
    {
        lock (log) return log.ToString();
    }
}
