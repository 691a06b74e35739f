using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using LlavaRad.Contracts;
using LlavaRad.Fhir.Http;

namespace LlavaRad.Fhir;

/// <summary>
/// The EHR's FHIR R4 endpoint as this project uses it (a typed client: auth and retries live in the HttpClient's
/// handlers). Wraps Firely's FhirClient so callers see coded <see cref="FhirStoreException"/>s instead of
/// transport exceptions.
/// </summary>
public sealed class FhirStore(HttpClient http)
{
    private readonly FhirClient _client = new(http.BaseAddress ?? throw new ArgumentException("HttpClient needs a BaseAddress"),
        http, new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = false });

    /// <summary>The server's base URL: absolute fullUrls of resources already on the server start with it.</summary>
    public Uri Endpoint => _client.Endpoint;

    public Task<T> CreateAsync<T>(T resource, CancellationToken cancellationToken = default) where T : Resource =>
        Call(() => _client.CreateAsync(resource, cancellationToken), $"create {typeof(T).Name}", cancellationToken);

    /// <summary>
    /// Reads "Type/id", or an absolute reference under this server's base. A reference is data: one naming another
    /// server is refused (<see cref="FhirStoreException.UrlNotAllowed"/>) rather than read here under its id.
    /// </summary>
    public Task<T> ReadAsync<T>(string reference, CancellationToken cancellationToken = default) where T : Resource =>
        Uri.TryCreate(reference, UriKind.Absolute, out var absolute) && !OnThisServer(absolute)
            ? System.Threading.Tasks.Task.FromException<T>(FhirUrlPolicy.Refusal($"FHIR read {typeof(T).Name}", absolute))
            : Call(() => _client.ReadAsync<T>(reference, ct: cancellationToken), $"read {typeof(T).Name}", cancellationToken);

    private bool OnThisServer(Uri reference) =>
        UrlScope.Normalize(Endpoint.AbsoluteUri) is { } server && UrlScope.NormalizeTarget(reference) is { } target && UrlScope.Covers(server, target);

    /// <summary>Posts a transaction Bundle; the server applies all entries or none.</summary>
    public Task<Bundle> TransactionAsync(Bundle transaction, CancellationToken cancellationToken = default) =>
        Call(() => _client.TransactionAsync(transaction, cancellationToken), "transaction", cancellationToken);

    public Task<IReadOnlyList<T>> SearchByIdentifierAsync<T>(string system, string value, CancellationToken cancellationToken = default)
        where T : Resource, new() =>
        SearchAsync<T>(FhirSearch.Identifier(system, value), cancellationToken);

    /// <summary>Searches and follows <c>next</c> links; returns the matches of type T (not included resources).</summary>
    public async Task<IReadOnlyList<T>> SearchAsync<T>(SearchParams query, CancellationToken cancellationToken = default)
        where T : Resource, new()
    {
        var what = $"search {typeof(T).Name}";
        var results = new List<T>();
        var page = await Call(() => _client.SearchAsync<T>(query, cancellationToken), what, cancellationToken);
        while (true)
        {
            results.AddRange(page.Entry.Select(e => e.Resource).OfType<T>());
            if (page.NextLink is null) return results;
            var current = page;
            page = await Call(() => _client.ContinueAsync(current, ct: cancellationToken), what, cancellationToken);
        }
    }

    private static async Task<TResult> Call<TResult>(Func<Task<TResult?>> call, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await call() ?? throw new FhirStoreException(FhirStoreException.ServerError, $"FHIR {what}: empty answer");
        }
        catch (FhirOperationException e)
        {
            throw new FhirStoreException(CodeFor(e), $"FHIR {what} failed with HTTP {(int)e.Status}", (int)e.Status, e);
        }
        catch (HttpRequestException e)
        {
            throw new FhirStoreException(FhirStoreException.Unreachable, $"FHIR {what}: server unreachable", null, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FhirStoreException(FhirStoreException.Timeout, $"FHIR {what}: no answer in time", null, e);
        }
    }

    private static string CodeFor(FhirOperationException e) => e.Status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => FhirStoreException.Unauthorized,
        HttpStatusCode.NotFound or HttpStatusCode.Gone => FhirStoreException.NotFound,
        HttpStatusCode.PreconditionFailed when MentionsMultipleMatches(e.Outcome) => FhirStoreException.MultipleMatches,
        HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => FhirStoreException.Conflict,
        HttpStatusCode.TooManyRequests => FhirStoreException.RateLimited,
        >= HttpStatusCode.InternalServerError => FhirStoreException.ServerError,
        _ => FhirStoreException.Rejected,
    };

    private static bool MentionsMultipleMatches(OperationOutcome? outcome) =>
        outcome?.Issue.Any(i => $"{i.Diagnostics} {i.Details?.Text}".Contains("multiple", StringComparison.OrdinalIgnoreCase)) == true;
}
