using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace LlavaRad.Imaging.Sr;

/// <summary>
/// UIDs under the 2.25 root (PS3.5 B.2) derived from a name, so that re-writing the same draft version yields the same
/// instance and a retried STOW-RS replaces rather than duplicates it.
/// </summary>
public static class DerivedUid
{
    public static string From(params string[] parts)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)));
        var bytes = digest[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // RFC 9562 version 8 (name-based, custom hash)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return "2.25." + new BigInteger(bytes, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
