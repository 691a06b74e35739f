using System.Net.Http.Headers;
using System.Text;
using LlavaRad.Contracts;

namespace LlavaRad.Imaging.DicomWeb;

/// <summary>
/// Puts the configured credentials on a request: a Bearer token if set, else Basic, else nothing; and only when the
/// request goes to the base the credentials belong to, so that no address can draw them off to another host.
/// </summary>
internal static class DicomWebAuthorization
{
    public static void Apply(HttpRequestMessage request, DicomWebClientOptions options, Uri? baseAddress)
    {
        var scope = options.CredentialScope ?? baseAddress;
        var target = request.RequestUri is { IsAbsoluteUri: true } absolute ? absolute
            : baseAddress is not null && request.RequestUri is not null ? new Uri(baseAddress, request.RequestUri) : null;
        if (scope is null || UrlScope.Normalize(scope.AbsoluteUri) is not { } normalScope
            || UrlScope.NormalizeTarget(target) is not { } normalTarget || !UrlScope.Covers(normalScope, normalTarget))
            return;
        if (options.BearerToken is { Length: > 0 } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (options.Username is { Length: > 0 } user)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}")));
    }
}
