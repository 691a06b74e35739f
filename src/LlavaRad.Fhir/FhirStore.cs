using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;

namespace LlavaRad.Fhir;

/// <summary>
/// The EHR's FHIR R4 endpoint as this project uses it. Wraps Firely's FhirClient so callers see coded
/// <see cref="FhirStoreException"/>s instead of transport exceptions.
/// </summary>
public sealed class FhirStore(HttpClient http)
{
    private readonly FhirClient _client = new(http.BaseAddress ?? throw new ArgumentException("HttpClient needs a BaseAddress"),
        http, new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = false });

    public Task<T> CreateAsync<T>(T resource, CancellationToken cancellationToken = default) where T : Resource =>
        Call(() => _client.CreateAsync(resource, cancellationToken), $"create {typeof(T).Name}");

    /// <summary>Posts a transaction Bundle; the server applies all entries or none.</summary>
    public Task<Bundle> TransactionAsync(Bundle transaction, CancellationToken cancellationToken = default) =>
        Call(() => _client.TransactionAsync(transaction, cancellationToken), "transaction");

    public async Task<IReadOnlyList<T>> SearchByIdentifierAsync<T>(string system, string value, CancellationToken cancellationToken = default)
        where T : Resource, new()
    {
        var query = new SearchParams().Add("identifier", $"{system}|{value}");
        var bundle = await Call(() => _client.SearchAsync<T>(query, cancellationToken), $"search {typeof(T).Name}");
        return bundle?.Entry.Select(e => e.Resource).OfType<T>().ToList() ?? [];
    }

    private static async Task<TResult> Call<TResult>(Func<Task<TResult?>> call, string what)
    {
        try
        {
            return await call() ?? throw new FhirStoreException(FhirStoreException.ServerError, $"FHIR {what}: empty answer");
        }
        catch (FhirOperationException e)
        {
            throw new FhirStoreException(CodeFor(e.Status), $"FHIR {what} failed with HTTP {(int)e.Status}", (int)e.Status, e);
        }
        catch (HttpRequestException e)
        {
            throw new FhirStoreException(FhirStoreException.Unreachable, $"FHIR {what}: server unreachable", null, e);
        }
    }

    private static string CodeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => FhirStoreException.Unauthorized,
        >= HttpStatusCode.InternalServerError => FhirStoreException.ServerError,
        _ => FhirStoreException.Rejected,
    };
}
