using System.Globalization;

namespace LlavaRad.IntegrationTests;

/// <summary>Reads the kernel's socket tables to see which local addresses listen on a port.</summary>
public static class LoopbackSockets
{
    private const string Listen = "0A";

    public static IReadOnlyList<string> ListeningAddresses(int port) =>
        new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .Where(File.Exists)
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 3 && f[1].Contains(':') && f[3] == Listen)
            .Where(f => int.Parse(f[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
            .Select(f => f[1].Split(':')[0])
            .ToList();

    /// <summary>127.0.0.0/8 (hex little-endian, last byte 7F) or ::1.</summary>
    public static bool IsLoopback(string hexAddress) => hexAddress.Length switch
    {
        8 => hexAddress.EndsWith("7F", StringComparison.Ordinal),
        32 => hexAddress == "00000000000000000000000001000000",
        _ => false,
    };
}
