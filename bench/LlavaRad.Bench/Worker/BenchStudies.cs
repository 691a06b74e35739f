using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using LlavaRad.Fhir;
using LlavaRad.Imaging;
using LlavaRad.IntegrationTests.Worker;

namespace LlavaRad.Bench.Worker;

/// <summary>One loaded copy of a sample study: its ImagingStudy reference on the FHIR server and its StudyInstanceUID.</summary>
public sealed record BenchStudy(string ImagingStudyReference, string StudyInstanceUid);

/// <summary>
/// Copies of one sample study under fresh study, series and instance UIDs of the same length (the DICOM files stay
/// valid byte for byte): the files stored in Orthanc over STOW-RS, the FHIR bundle (Endpoint pointed at Orthanc's
/// DICOMweb) posted to the FHIR server. The same copy the worker integration tests use (SampleStudyCopy, linked); not timed.
/// </summary>
public sealed class BenchStudies(FhirStore fhir, DicomWebClient dicomWeb, Uri dicomWebUrl, string repoRoot, string folder)
{
    public async Task<IReadOnlyList<BenchStudy>> LoadAsync(int count, int parallel = 4)
    {
        var loaded = new BenchStudy[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (i, ct) => loaded[i] = await LoadOneAsync(ct));
        return loaded;
    }

    private async Task<BenchStudy> LoadOneAsync(CancellationToken cancellationToken)
    {
        var copy = new SampleStudyCopy(repoRoot, folder);
        var stored = await dicomWeb.StoreAsync(copy.Files, cancellationToken);
        if (stored.StoredSopInstanceUids.Count != copy.Files.Count) throw new InvalidOperationException($"Orthanc stored {stored.StoredSopInstanceUids.Count} of {copy.Files.Count} files");

        var json = copy.Bundle(dicomWebUrl);
        var response = await fhir.TransactionAsync(new FhirJsonDeserializer().Deserialize<Bundle>(json.ToJsonString()), cancellationToken);
        return new BenchStudy(SampleStudyCopy.Located(json, response.Entry.Select(e => e.Response?.Location).ToList(), "ImagingStudy"), copy.StudyInstanceUid);
    }
}
