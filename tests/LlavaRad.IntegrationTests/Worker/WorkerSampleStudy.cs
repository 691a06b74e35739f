using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using LlavaRad.Fhir;
using LlavaRad.Imaging;

namespace LlavaRad.IntegrationTests.Worker;

/// <summary>
/// A sample study copied under fresh UIDs (<see cref="SampleStudyCopy"/>): its files stored in Orthanc over STOW-RS,
/// its FHIR bundle (Endpoint pointed at Orthanc) loaded into the FHIR server. Facts come from the sample's own
/// files, never from the code under test.
/// </summary>
public sealed record WorkerSampleStudy(string ImagingStudyReference, string Patient, string StudyInstanceUid,
    IReadOnlyDictionary<string, string> NewUids)
{
    /// <summary>Stores only the DICOM files under fresh UIDs (the EHR has no ImagingStudy); returns the StudyInstanceUID.</summary>
    public static async Task<string> LoadDicomOnlyAsync(DicomWebClient dicomWeb, string folder) =>
        (await LoadAsync(null, dicomWeb, null, folder)).StudyInstanceUid;

    public static async Task<WorkerSampleStudy> LoadAsync(FhirStore? fhir, DicomWebClient dicomWeb, Uri? dicomWebUrl, string folder)
    {
        var copy = new SampleStudyCopy(ExternalTool.RepoRoot(), folder);
        var stored = await dicomWeb.StoreAsync(copy.Files);
        Assert.Equal(copy.Files.Count, stored.StoredSopInstanceUids.Count);

        if (fhir is null || dicomWebUrl is null) return new WorkerSampleStudy("", "", copy.StudyInstanceUid, copy.NewUids);
        var json = copy.Bundle(dicomWebUrl);
        var response = await fhir.TransactionAsync(new FhirJsonDeserializer().Deserialize<Bundle>(json.ToJsonString()));
        var locations = response.Entry.Select(e => e.Response?.Location).ToList();
        return new WorkerSampleStudy(SampleStudyCopy.Located(json, locations, "ImagingStudy"),
            SampleStudyCopy.Located(json, locations, "Patient"), copy.StudyInstanceUid, copy.NewUids);
    }
}
