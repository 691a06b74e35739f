using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace LlavaRad.Fhir.Notifications;

/// <summary>Checks the Authorization header or the HMAC body signature, in constant time.</summary>
public sealed class NotificationAuthenticator(IOptions<NotificationOptions> options)
{
    public bool IsAuthentic(NotificationRequest request)
    {
        var settings = options.Value;
        if (settings.ExpectedAuthorization is { Length: > 0 } expected &&
            Header(request, "Authorization") is { } authorization && FixedTimeEquals(authorization, expected))
            return true;
        if (settings.HmacSecret is { Length: > 0 } secret && Header(request, settings.HmacHeader) is { } signature)
        {
            var computed = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), request.Body));
            return FixedTimeEquals(signature.Trim().ToLowerInvariant(), computed);
        }
        return false;
    }

    private static string? Header(NotificationRequest request, string name) =>
        request.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
