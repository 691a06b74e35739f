using System.Net.Http.Headers;

namespace LlavaRad.Fhir.Auth;

/// <summary>Supplies the Authorization header for FHIR requests.</summary>
public interface IFhirCredentials
{
    /// <summary>The header to send, or null for none.</summary>
    ValueTask<AuthenticationHeaderValue?> GetAsync(CancellationToken cancellationToken);

    /// <summary>The server said 401 to this header: forget it so the next call fetches a fresh one.</summary>
    void Reject(AuthenticationHeaderValue rejected);
}
