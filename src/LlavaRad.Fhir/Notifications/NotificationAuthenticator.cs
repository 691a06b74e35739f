using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace LlavaRad.Fhir.Notifications;

/// <summary>Checks the Authorization header or the HMAC body signature, in constant time.</summary>
public sealed class NotificationAuthenticator(IOptions<NotificationOptions> options)
{
    /// <summary>
    /// Decided from the headers alone, before the body is read: true or false when only a header secret is configured
    /// (or nothing, which refuses all); null when an HMAC signature must be checked against the body.
    /// </summary>
    public bool? IsAuthenticByHeaders(IReadOnlyDictionary<string, string> headers)
    {
        var settings = options.Value;
        var request = new NotificationRequest("", null, headers, []);
        if (settings.ExpectedAuthorization is { Length: > 0 } expected &&
            Header(request, "Authorization") is { } authorization && FixedTimeEquals(authorization, expected))
            return true;
        if (settings.HmacSecret is { Length: > 0 } && Header(request, settings.HmacHeader) is not null) return null;
        return false;
    }

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
