using System.Net.Http.Headers;
using System.Text;

namespace LlavaRad.Fhir.Auth;

/// <summary>No auth, a configured bearer token, or HTTP Basic.</summary>
public sealed class StaticCredentials(AuthenticationHeaderValue? header) : IFhirCredentials
{
    public static StaticCredentials From(FhirAuthOptions options) => options.Mode switch
    {
        FhirAuthMode.Bearer => new(new AuthenticationHeaderValue("Bearer", Required(options.BearerToken, "BearerToken"))),
        FhirAuthMode.Basic => new(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"{Required(options.BasicUser, "BasicUser")}:{options.BasicPassword}")))),
        _ => new(null),
    };

    public ValueTask<AuthenticationHeaderValue?> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(header);

    public void Reject(AuthenticationHeaderValue rejected) { } // nothing to refresh: the 401 reaches the caller

    private static string Required(string? value, string name) =>
        string.IsNullOrEmpty(value) ? throw new InvalidOperationException($"Fhir:Auth:{name} is required for this auth mode") : value;
}
