using System.Collections.Concurrent;
using Google.Protobuf;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Fhir;
using LlavaRad.Fhir.Intake;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Imaging;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;
using LlavaRad.Worker.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlavaRad.Bench.Worker;

/// <summary>
/// The baseline: the same peer calls the worker makes for one study, with nothing else (no job store, no lease or
/// heartbeat, no audit trail, no labeler, no telemetry, no retry handlers): read the ImagingStudy (and its order and
/// Endpoint), select and fetch the frontal image over DICOMweb and convert it, one Generate call, the draft as one
/// FHIR transaction (DraftReportWriter: idempotency search, superseded search, transaction).
/// </summary>
public sealed class BaselineClient(Uri fhirUrl, InferenceNodeClient node) : IDisposable
{
    private readonly HttpClient _fhirHttp = new() { BaseAddress = fhirUrl };
    private readonly ConcurrentDictionary<Uri, HttpClient> _dicomWeb = new();
    private readonly KeyedLock _locks = new();
    private readonly Part10ImageReader _reader = new();

    public async Task RunAsync(BenchStudy study, CancellationToken cancellationToken)
    {
        var fhir = new FhirStore(_fhirHttp);
        var intake = await new ImagingStudyReader(fhir).ReadAsync(study.ImagingStudyReference, cancellationToken);

        var baseUrl = intake.DicomWebBase ?? throw new InvalidOperationException("the ImagingStudy names no DICOMweb endpoint");
        var http = _dicomWeb.GetOrAdd(baseUrl, url => new HttpClient { BaseAddress = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/") });
        var fetched = await new FrontalImageFetcher(new DicomWebClient(http), _reader, GrayscaleProfile.MimicCxrJpg)
            .FetchAsync(intake.StudyInstanceUid, cancellationToken);
        if (fetched.Image is not { } image || fetched.Selection?.Selected is not { } chosen)
            throw new InvalidOperationException($"baseline: no frontal image ({fetched.Outcome})");

        var answer = await node.GenerateAsync(new GenerateRequest
        {
            RequestId = Guid.NewGuid().ToString("N"),
            Priority = Priority.Routine,
            Images = { new Image { Raw = new RawGrayImage { Width = (uint)image.Width, Height = (uint)image.Height, Pixels = ByteString.CopyFrom(image.Pixels) } } },
            Indication = intake.IndicationText ?? "",
            Options = new GenerationOptions { MaxNewTokens = 128 },
        }, cancellationToken);

        var model = answer.Model ?? new LlavaRad.Contracts.V1.ModelIdentity();
        var request = new DraftReportRequest(intake.ForDraft(fetched.Selection.SelectedSopInstanceUid ?? "", FrontalImage.StudyStart(chosen)),
            answer.Text, new LlavaRad.Fhir.WriteBack.ModelIdentity(model.ModelId, model.ModelId, model.ModelVersion, model.WeightsSha256),
            "1", [], WorklistUrgency.Routine, DateTimeOffset.UtcNow);
        var writer = new DraftReportWriter(fhir, _locks, Microsoft.Extensions.Options.Options.Create(new WriteBackOptions()), NullLogger<DraftReportWriter>.Instance);
        var written = await writer.WriteAsync(request, cancellationToken);
        if (!written.Created) throw new InvalidOperationException("baseline: the draft already existed (studies must be fresh)");
    }

    public void Dispose()
    {
        _fhirHttp.Dispose();
        foreach (var client in _dicomWeb.Values) client.Dispose();
    }
}
