using LlavaRad.Imaging;
using LlavaRad.Worker.Outcomes;
using LlavaRad.Worker.Pipeline;

namespace LlavaRad.Worker.Tests.Pipeline;

/// <summary>Patient and order from the DICOM image alone (folder and DICOMweb studies the EHR has no ImagingStudy for).</summary>
public class DicomStudyReferencesTests
{
    private static readonly PipelineOptions Options = new()
    {
        SitePatientIdSystem = "https://hospital.example/sid/mrn",
        PatientIssuerSystems = new() { ["NVGH"] = "urn:oid:1.2.840.99999.1" },
    };

    // DICOM JSON (PS3.18 F.2) as an archive returns it: 00100021 Issuer of Patient ID, 00100024 its qualifiers, 00321064 Requested Procedure Code Sequence.
    private static IDicomAttributes Image(string extra = "") => DicomJsonDataset.ParseArray($$"""
        [{ "00100020": { "vr": "LO", "Value": ["PID-7"] } {{extra}} }]
        """)[0];

    [Fact]
    public void WithoutAnIssuerThePatientIsNamedInTheSitesIdentifierSystem()
    {
        Assert.Equal("Patient?identifier=https%3A%2F%2Fhospital.example%2Fsid%2Fmrn|PID-7", DicomStudyReferences.Patient(Image(), "PID-7", Options));
    }

    [Theory]
    [InlineData("""
        , "00100021": { "vr": "LO", "Value": ["NVGH"] }
        """, "urn:oid:1.2.840.99999.1")]
    [InlineData("""
        , "00100021": { "vr": "LO", "Value": ["OTHER HOSP"] }
        """, "urn:llavarad:patient-issuer:OTHER%20HOSP")]
    [InlineData("""
        , "00100021": { "vr": "LO", "Value": ["urn:oid:2.16.840.1.5"] }
        """, "urn:oid:2.16.840.1.5")]
    [InlineData("""
        , "00100021": { "vr": "LO", "Value": ["NVGH"] },
          "00100024": { "vr": "SQ", "Value": [{ "00400032": { "vr": "UT", "Value": ["1.3.6.1.4.1.5"] }, "00400033": { "vr": "CS", "Value": ["ISO"] } }] }
        """, "urn:oid:1.3.6.1.4.1.5")]
    public void TheIssuerOfPatientIdBecomesTheIdentifierSystem(string issuer, string system)
    {
        var reference = DicomStudyReferences.Patient(Image(issuer), "PID-7", Options);

        Assert.Equal($"Patient?identifier={Uri.EscapeDataString(system)}|PID-7", reference);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void AStudyWithoutAPatientIdIsRejectedWithACode(string? patientId)
    {
        var error = Assert.Throws<StudyPipelineException>(() => DicomStudyReferences.Patient(Image(), patientId, Options));

        Assert.Equal("no-patient-id", error.Outcome.Code);
        Assert.False(error.Outcome.Transient);
    }

    [Fact]
    public void TheReportCodeComesFromTheRequestedProcedureCodeSequenceWithItsMeaning()
    {
        var image = Image("""
            , "00321064": { "vr": "SQ", "Value": [
                { "00080100": { "vr": "SH", "Value": ["LOCAL1"] }, "00080102": { "vr": "SH", "Value": ["99HOSP"] }, "00080104": { "vr": "LO", "Value": ["Local chest"] } },
                { "00080100": { "vr": "SH", "Value": ["36589-0"] }, "00080102": { "vr": "SH", "Value": ["LN"] }, "00080104": { "vr": "LO", "Value": ["Portable XR Chest AP single view"] } } ] }
            """);

        var code = DicomStudyReferences.OrderCode(image);

        Assert.Equal(("http://loinc.org", "36589-0", "Portable XR Chest AP single view"), (code?.System, code?.Code, code?.Display));
    }

    [Fact]
    public void WithoutARequestedProcedureCodeThereIsNoOrderCode()
    {
        Assert.Null(DicomStudyReferences.OrderCode(Image()));
        Assert.Null(DicomStudyReferences.OrderCode(null));
    }
}
