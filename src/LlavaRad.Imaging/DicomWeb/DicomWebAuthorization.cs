using System.Net.Http.Headers;
using System.Text;

namespace LlavaRad.Imaging.DicomWeb;

/// <summary>Puts the configured credentials on a request: a Bearer token if set, else Basic, else nothing.</summary>
internal static class DicomWebAuthorization
{
    public static void Apply(HttpRequestMessage request, DicomWebClientOptions options)
    {
        if (options.BearerToken is { Length: > 0 } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (options.Username is { Length: > 0 } user)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}")));
    }
}
