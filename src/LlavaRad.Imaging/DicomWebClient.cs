using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace LlavaRad.Imaging;

/// <summary>
/// A typed DICOMweb client (PS3.18): STOW-RS and QIDO-RS today. The HttpClient's BaseAddress is the DICOMweb root,
/// e.g. http://127.0.0.1:8042/dicom-web/ (trailing slash).
/// </summary>
public sealed class DicomWebClient(HttpClient http)
{
    private const string DicomJson = "application/dicom+json";

    /// <summary>STOW-RS: stores Part 10 files in one multipart/related request.</summary>
    public async Task<StoreResult> StoreAsync(IReadOnlyList<byte[]> part10Files, CancellationToken cancellationToken = default)
    {
        var boundary = "llavarad-" + Guid.NewGuid().ToString("N");
        using var content = new MultipartContent("related", boundary);
        content.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        foreach (var file in part10Files)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
            content.Add(part);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "studies") { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(DicomJson));

        var (status, body) = await SendAsync(request, cancellationToken);
        // 200 all stored, 202 some failed, 409 none stored: each carries a response dataset to read.
        if (status is not (HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.Conflict))
            throw HttpFailure(status, "STOW-RS");
        var response = ParseSingleDataset(body);
        var stored = response?.GetSequence(DicomTag.ReferencedSopSequence)
            .Select(s => s.GetString(DicomTag.ReferencedSopInstanceUid) ?? "").ToList() ?? [];
        var failed = response?.GetSequence(DicomTag.FailedSopSequence)
            .Select(s => new StoreFailure(s.GetString(DicomTag.ReferencedSopInstanceUid) ?? "", s.GetInt(DicomTag.FailureReason))).ToList() ?? [];
        if (stored.Count == 0 && failed.Count == 0 && status != HttpStatusCode.OK)
            throw new DicomWebException(DicomWebException.StoreRejected, $"STOW-RS rejected the request ({(int)status})", (int)status);
        return new StoreResult(stored, failed);
    }

    /// <summary>QIDO-RS study search, e.g. {"StudyInstanceUID": "1.2.3"} or {"ModalitiesInStudy": "DX"}.</summary>
    public Task<IReadOnlyList<DicomJsonDataset>> SearchStudiesAsync(
        IReadOnlyDictionary<string, string> query, CancellationToken cancellationToken = default) =>
        SearchAsync("studies", query, cancellationToken);

    public Task<IReadOnlyList<DicomJsonDataset>> SearchSeriesAsync(
        string studyInstanceUid, IReadOnlyDictionary<string, string> query, CancellationToken cancellationToken = default) =>
        SearchAsync($"studies/{Uri.EscapeDataString(studyInstanceUid)}/series", query, cancellationToken);

    private async Task<IReadOnlyList<DicomJsonDataset>> SearchAsync(
        string path, IReadOnlyDictionary<string, string> query, CancellationToken cancellationToken)
    {
        var queryString = string.Join("&", query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, queryString.Length == 0 ? path : $"{path}?{queryString}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(DicomJson));
        var (status, body) = await SendAsync(request, cancellationToken);
        if (status == HttpStatusCode.NoContent) return [];
        if (status != HttpStatusCode.OK) throw HttpFailure(status, "QIDO-RS");
        try
        {
            return DicomJsonDataset.ParseArray(body);
        }
        catch (JsonException e)
        {
            throw new DicomWebException(DicomWebException.BadResponse, $"QIDO-RS answered with invalid DICOM JSON: {e.Message}", 200, e);
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException e)
        {
            throw new DicomWebException(DicomWebException.Unreachable, $"DICOMweb server unreachable: {e.Message}", null, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DicomWebException(DicomWebException.Timeout, "DICOMweb server did not answer in time", null, e);
        }
    }

    private static DicomJsonDataset? ParseSingleDataset(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var dataset = root.ValueKind == JsonValueKind.Array ? (root.GetArrayLength() > 0 ? root[0] : default) : root;
            return dataset.ValueKind == JsonValueKind.Object ? new DicomJsonDataset(dataset.Clone()) : null;
        }
        catch (JsonException e)
        {
            throw new DicomWebException(DicomWebException.BadResponse, $"STOW-RS answered with invalid DICOM JSON: {e.Message}", null, e);
        }
    }

    // The body is left out on purpose: servers echo identifiers in error texts, and messages reach logs.
    private static DicomWebException HttpFailure(HttpStatusCode status, string operation)
    {
        var code = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? DicomWebException.Unauthorized : DicomWebException.HttpError;
        return new DicomWebException(code, $"{operation} failed with HTTP {(int)status}", (int)status);
    }
}

public sealed record StoreResult(IReadOnlyList<string> StoredSopInstanceUids, IReadOnlyList<StoreFailure> Failures);

public sealed record StoreFailure(string SopInstanceUid, int? Reason);
