using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LlavaRad.Imaging.DicomWeb;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// The two Orthanc REST calls the change feed does not cover: where the log ends now (/changes?last) and which
/// StudyInstanceUID an Orthanc study id stands for (/studies/{id}). BaseAddress is Orthanc's REST root.
/// </summary>
public sealed class OrthancStudyLookup(HttpClient http, DicomWebClientOptions options)
{
    public async Task<long> LastChangeAsync(CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync("changes?last", cancellationToken);
        return document.RootElement.GetProperty("Last").GetInt64();
    }

    /// <summary>The study's UID and instance count; null when Orthanc no longer has the study (deleted since).</summary>
    public async Task<(string StudyInstanceUid, int Instances)?> StudyAsync(string orthancStudyId, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync($"studies/{Uri.EscapeDataString(orthancStudyId)}/instances", cancellationToken, allowNotFound: true);
        if (document is null) return null;
        using var study = await GetJsonAsync($"studies/{Uri.EscapeDataString(orthancStudyId)}", cancellationToken, allowNotFound: true);
        if (study is null) return null;
        var uid = study.RootElement.GetProperty("MainDicomTags").GetProperty("StudyInstanceUID").GetString();
        return string.IsNullOrEmpty(uid)
            ? throw new OrthancException(OrthancException.BadResponse, "Orthanc study without a StudyInstanceUID")
            : (uid, document.RootElement.GetArrayLength());
    }

    /// <summary>
    /// The SeriesInstanceUID of the study's most recently changed series (Orthanc's LastUpdate, a sortable
    /// yyyyMMddTHHmmss text); null when the study has none or is gone.
    /// </summary>
    public async Task<string?> NewestSeriesUidAsync(string orthancStudyId, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync($"studies/{Uri.EscapeDataString(orthancStudyId)}/series", cancellationToken, allowNotFound: true);
        return document?.RootElement.EnumerateArray()
            .OrderByDescending(s => s.TryGetProperty("LastUpdate", out var at) ? at.GetString() : "", StringComparer.Ordinal)
            .Select(s => s.GetProperty("MainDicomTags").TryGetProperty("SeriesInstanceUID", out var uid) ? uid.GetString() : null)
            .FirstOrDefault();
    }

    private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken) =>
        (await GetJsonAsync(path, cancellationToken, allowNotFound: false))!;

    private async Task<JsonDocument?> GetJsonAsync(string path, CancellationToken cancellationToken, bool allowNotFound)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (options.BearerToken is { Length: > 0 } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (options.Username is { Length: > 0 } user)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{options.Password}")));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode)
                throw new OrthancException((int)response.StatusCode is 401 or 403 ? OrthancException.Unauthorized : OrthancException.HttpError,
                    $"Orthanc answered {path.Split('/')[0]} with HTTP {(int)response.StatusCode}");
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
        }
        catch (HttpRequestException e)
        {
            throw new OrthancException(OrthancException.Unreachable, "Orthanc unreachable", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OrthancException(OrthancException.Timeout, "Orthanc did not answer in time", e);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new OrthancException(OrthancException.BadResponse, "Orthanc answered with unexpected JSON", e);
        }
    }
}

/// <summary>A failed Orthanc REST call, with a code for logs and metrics.</summary>
public sealed class OrthancException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public const string Unreachable = "orthanc-unreachable";
    public const string Timeout = "orthanc-timeout";
    public const string Unauthorized = "orthanc-unauthorized";
    public const string HttpError = "orthanc-http-error";
    public const string BadResponse = "orthanc-bad-response";

    public string Code { get; } = code;
}
