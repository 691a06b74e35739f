using System.Net;
using System.Text.Json;

namespace LlavaRad.Imaging.DicomWeb;

/// <summary>
/// Orthanc's arrival-ordered change log (GET /changes?since=&amp;limit=), the durable source of "a study arrived".
/// The caller keeps the cursor (<see cref="ChangesPage.Last"/>) and passes it back as <c>since</c>; a page with
/// <see cref="ChangesPage.Done"/> false means more are waiting. The HttpClient's BaseAddress is the Orthanc root.
/// </summary>
public sealed class OrthancChangeFeed(HttpClient http, DicomWebClientOptions? options = null)
{
    private readonly DicomWebClientOptions _options = options ?? new DicomWebClientOptions();

    public async Task<ChangesPage> ReadAsync(long since, int limit = 100, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"changes?since={since}&limit={limit}");
        DicomWebAuthorization.Apply(request, _options, http.BaseAddress);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        string body;
        HttpStatusCode status;
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (HttpRequestException e)
        {
            throw new DicomWebException(DicomWebException.Unreachable, $"Orthanc unreachable: {e.Message}", null, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DicomWebException(DicomWebException.Timeout, "Orthanc did not answer /changes in time", null, e);
        }
        if (status != HttpStatusCode.OK)
            throw new DicomWebException((int)status is 401 or 403 ? DicomWebException.Unauthorized
                : (int)status >= 500 ? DicomWebException.ServerError : DicomWebException.HttpError, $"/changes failed with HTTP {(int)status}", (int)status);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var changes = root.GetProperty("Changes").EnumerateArray().Select(c => new OrthancChange(
                c.GetProperty("Seq").GetInt64(),
                c.GetProperty("ChangeType").GetString() ?? "",
                c.GetProperty("ResourceType").GetString() ?? "",
                c.GetProperty("ID").GetString() ?? "",
                c.GetProperty("Path").GetString() ?? "")).ToList();
            return new ChangesPage(changes, root.GetProperty("Last").GetInt64(), root.GetProperty("Done").GetBoolean());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new DicomWebException(DicomWebException.BadResponse, "/changes answered with unexpected JSON", 200, e);
        }
    }
}

/// <summary>One entry, e.g. ("StableStudy", "Study", orthanc id, "/studies/{id}").</summary>
public sealed record OrthancChange(long Seq, string ChangeType, string ResourceType, string OrthancId, string Path);

public sealed record ChangesPage(IReadOnlyList<OrthancChange> Changes, long Last, bool Done);
