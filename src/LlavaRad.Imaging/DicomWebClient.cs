using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Imaging.Part10;

namespace LlavaRad.Imaging;

/// <summary>
/// A typed DICOMweb client (PS3.18): STOW-RS, QIDO-RS, WADO-RS metadata, instance retrieval with transfer-syntax
/// negotiation and /rendered. The HttpClient's BaseAddress is the DICOMweb root, e.g.
/// http://127.0.0.1:8042/dicom-web/ (trailing slash). Reads are retried on 5xx, 429 and network failures with
/// exponential backoff; every failure surfaces as a <see cref="DicomWebException"/> with a code.
/// </summary>
public sealed class DicomWebClient(HttpClient http, DicomWebClientOptions? options = null)
{
    private const string DicomJson = "application/dicom+json";
    private readonly DicomWebClientOptions _options = options ?? new DicomWebClientOptions();

    /// <summary>STOW-RS: stores Part 10 files in one multipart/related request.</summary>
    public async Task<StoreResult> StoreAsync(IReadOnlyList<byte[]> part10Files, CancellationToken cancellationToken = default)
    {
        var boundary = "llavarad-" + Guid.NewGuid().ToString("N");
        HttpRequestMessage Request()
        {
            var content = new MultipartContent("related", boundary);
            content.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
            foreach (var file in part10Files)
            {
                var part = new ByteArrayContent(file);
                part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
                content.Add(part);
            }
            var request = new HttpRequestMessage(HttpMethod.Post, "studies") { Content = content };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(DicomJson));
            return request;
        }

        var (status, body) = await SendForTextAsync(Request, Retry.None, cancellationToken);
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

    /// <summary>QIDO-RS study search, e.g. {"StudyInstanceUID": "1.2.3"}, {"StudyDate": "20240101-20240131"},
    /// {"limit": "10"}, {"includefield": "00081030"} (pass includefield several times as separate pairs).</summary>
    public Task<IReadOnlyList<DicomJsonDataset>> SearchStudiesAsync(
        IEnumerable<KeyValuePair<string, string>> query, CancellationToken cancellationToken = default) =>
        SearchAsync("studies", query, cancellationToken);

    public Task<IReadOnlyList<DicomJsonDataset>> SearchSeriesAsync(
        string studyInstanceUid, IEnumerable<KeyValuePair<string, string>> query, CancellationToken cancellationToken = default) =>
        SearchAsync($"studies/{Escape(studyInstanceUid)}/series", query, cancellationToken);

    public Task<IReadOnlyList<DicomJsonDataset>> SearchInstancesAsync(
        string studyInstanceUid, IEnumerable<KeyValuePair<string, string>> query, CancellationToken cancellationToken = default) =>
        SearchAsync($"studies/{Escape(studyInstanceUid)}/instances", query, cancellationToken);

    /// <summary>WADO-RS metadata of every instance in a study (PixelData comes as a BulkDataURI).</summary>
    public Task<IReadOnlyList<DicomJsonDataset>> RetrieveStudyMetadataAsync(string studyInstanceUid, CancellationToken cancellationToken = default) =>
        GetJsonArrayAsync($"studies/{Escape(studyInstanceUid)}/metadata", "WADO-RS metadata", cancellationToken);

    public Task<IReadOnlyList<DicomJsonDataset>> RetrieveSeriesMetadataAsync(string studyInstanceUid, string seriesInstanceUid, CancellationToken cancellationToken = default) =>
        GetJsonArrayAsync($"studies/{Escape(studyInstanceUid)}/series/{Escape(seriesInstanceUid)}/metadata", "WADO-RS metadata", cancellationToken);

    /// <summary>The options this client was made with (the fetcher reads its fallbacks from them).</summary>
    public DicomWebClientOptions Options => _options;

    /// <summary>
    /// One instance as Part 10 bytes, as <see cref="DicomWebClientOptions.Retrieval"/> says: in its stored syntax
    /// ("*"), or Explicit VR Little Endian first and, when the server cannot transcode (406, or 400/415/500/501 from
    /// servers without a transcoder), the stored syntax.
    /// </summary>
    public async Task<RetrievedInstance> RetrieveInstanceAsync(
        string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, CancellationToken cancellationToken = default)
    {
        var path = InstancePath(studyInstanceUid, seriesInstanceUid, sopInstanceUid);
        if (_options.Retrieval == InstanceRetrieval.StoredSyntax)
            return await RetrieveInstanceAsync(path, "*", Retry.NetworkAndServer, cancellationToken);
        try
        {
            return await RetrieveTranscodedAsync(path, cancellationToken);
        }
        catch (DicomWebException e) when (e.HttpStatus is 400 or 406 or 415 or 500 or 501)
        {
            return await RetrieveInstanceAsync(path, "*", Retry.NetworkAndServer, cancellationToken);
        }
    }

    /// <summary>The instance transcoded by the server to Explicit VR Little Endian (no stored-syntax retry).</summary>
    public Task<RetrievedInstance> RetrieveTranscodedInstanceAsync(
        string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, CancellationToken cancellationToken = default) =>
        RetrieveTranscodedAsync(InstancePath(studyInstanceUid, seriesInstanceUid, sopInstanceUid), cancellationToken);

    // Orthanc answers a transcoding it cannot do with 500, so only network failures are retried here.
    private Task<RetrievedInstance> RetrieveTranscodedAsync(string path, CancellationToken cancellationToken) =>
        RetrieveInstanceAsync(path, TransferSyntax.ExplicitVrLittleEndianUid, Retry.NetworkOnly, cancellationToken);

    private static string InstancePath(string study, string series, string sop) =>
        $"studies/{Escape(study)}/series/{Escape(series)}/instances/{Escape(sop)}";

    /// <summary>A server-rendered 8-bit PNG of the instance; <paramref name="window"/> is "center,width,function" in modality units.</summary>
    public async Task<byte[]> RetrieveRenderedPngAsync(
        string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, string? window = null, CancellationToken cancellationToken = default)
    {
        var path = $"studies/{Escape(studyInstanceUid)}/series/{Escape(seriesInstanceUid)}/instances/{Escape(sopInstanceUid)}/rendered";
        // Commas stay literal: Orthanc does not decode %2C in this parameter.
        if (window is not null) path += "?window=" + string.Join(',', window.Split(',').Select(Uri.EscapeDataString));
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/png"));
            return request;
        }
        using var response = await SendAsync(Request, Retry.NetworkAndServer, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK) throw HttpFailure(response.StatusCode, "WADO-RS rendered");
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private async Task<RetrievedInstance> RetrieveInstanceAsync(string path, string transferSyntax, Retry retry, CancellationToken cancellationToken)
    {
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Accept", $"multipart/related; type=\"application/dicom\"; transfer-syntax={transferSyntax}");
            return request;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        using var response = await SendAsync(Request, retry, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK) throw HttpFailure(response.StatusCode, "WADO-RS instance");
        var boundary = MultipartRelatedReader.BoundaryOf(response.Content.Headers.ContentType)
            ?? throw new DicomWebException(DicomWebException.BadResponse, "WADO-RS answered without a multipart boundary", 200);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var reader = new MultipartRelatedReader(body, boundary, _options.MaxPartBytes);
            var part = await reader.ReadNextPartAsync(timeout.Token)
                ?? throw new DicomWebException(DicomWebException.BadResponse, "WADO-RS answered with no parts", 200);
            return new RetrievedInstance(part.Content, transferSyntax);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DicomWebException(DicomWebException.Timeout, "DICOMweb server did not send the instance in time", null, e);
        }
        catch (IOException e)
        {
            throw new DicomWebException(DicomWebException.Unreachable, $"the connection broke while reading the instance: {e.Message}", null, e);
        }
    }

    private async Task<IReadOnlyList<DicomJsonDataset>> SearchAsync(
        string path, IEnumerable<KeyValuePair<string, string>> query, CancellationToken cancellationToken)
    {
        var queryString = string.Join("&", query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return await GetJsonArrayAsync(queryString.Length == 0 ? path : $"{path}?{queryString}", "QIDO-RS", cancellationToken);
    }

    private async Task<IReadOnlyList<DicomJsonDataset>> GetJsonArrayAsync(string pathAndQuery, string operation, CancellationToken cancellationToken)
    {
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(DicomJson));
            return request;
        }
        var (status, body) = await SendForTextAsync(Request, Retry.NetworkAndServer, cancellationToken);
        if (status == HttpStatusCode.NoContent) return [];
        if (status != HttpStatusCode.OK) throw HttpFailure(status, operation);
        try
        {
            return DicomJsonDataset.ParseArray(body);
        }
        catch (JsonException e)
        {
            throw new DicomWebException(DicomWebException.BadResponse, $"{operation} answered with invalid DICOM JSON: {e.Message}", 200, e);
        }
    }

    private enum Retry { None, NetworkOnly, NetworkAndServer }

    private async Task<(HttpStatusCode Status, string Body)> SendForTextAsync(Func<HttpRequestMessage> request, Retry retry, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, retry, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Sends with auth and a per-attempt timeout; retries (when allowed) on 5xx, 429 and network failures.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> makeRequest, Retry retry, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var attempts = retry == Retry.None ? 1 : _options.MaxRetries + 1;
        for (var attempt = 1; ; attempt++)
        {
            using var request = makeRequest();
            DicomWebAuthorization.Apply(request, _options, http.BaseAddress);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, completion, timeout.Token);
            }
            catch (HttpRequestException e) when (e.InnerException is DicomWebAddressRefusedException refused)
            {
                throw new DicomWebException(DicomWebException.AddressRefused, refused.Message, null, e);
            }
            catch (HttpRequestException e)
            {
                if (attempt < attempts) { await DelayAsync(attempt, null, cancellationToken); continue; }
                throw new DicomWebException(DicomWebException.Unreachable, $"DICOMweb server unreachable: {e.Message}", null, e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt < attempts) { await DelayAsync(attempt, null, cancellationToken); continue; }
                throw new DicomWebException(DicomWebException.Timeout, "DICOMweb server did not answer in time", null, e);
            }
            var transient = retry == Retry.NetworkAndServer
                && ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests);
            // Redirects are not followed (the handler is set so): a 3xx would lead off the base, with or without credentials.
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                response.Dispose();
                throw new DicomWebException(DicomWebException.RedirectRefused,
                    $"DICOMweb server answered HTTP {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)}; redirects are not followed", (int)response.StatusCode);
            }
            if (!transient || attempt >= attempts) return response;
            var retryAfter = response.Headers.RetryAfter?.Delta;
            response.Dispose();
            await DelayAsync(attempt, retryAfter, cancellationToken);
        }
    }

    private Task DelayAsync(int attempt, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var backoff = _options.RetryBaseDelay * Math.Pow(2, attempt - 1) * (0.8 + 0.4 * Random.Shared.NextDouble());
        var delay = retryAfter ?? backoff;
        return Task.Delay(delay > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : delay, cancellationToken);
    }

    private static string Escape(string uid) => Uri.EscapeDataString(uid);

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
        var code = (int)status switch
        {
            401 or 403 => DicomWebException.Unauthorized,
            404 => DicomWebException.NotFound,
            406 => DicomWebException.NotAcceptable,
            >= 500 or 429 => DicomWebException.ServerError,
            _ => DicomWebException.HttpError,
        };
        return new DicomWebException(code, $"{operation} failed with HTTP {((int)status).ToString(CultureInfo.InvariantCulture)}", (int)status);
    }
}

public sealed record StoreResult(IReadOnlyList<string> StoredSopInstanceUids, IReadOnlyList<StoreFailure> Failures);

public sealed record StoreFailure(string SopInstanceUid, int? Reason);

/// <summary>A retrieved Part 10 instance and the transfer syntax that was asked for ("*" = as stored).</summary>
public sealed record RetrievedInstance(ReadOnlyMemory<byte> Part10, string RequestedTransferSyntax);
