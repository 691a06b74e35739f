using Hl7.Fhir.Model;
using LlavaRad.Fhir;

namespace LlavaRad.IntegrationTests;

[Collection(PeersCollection.Name)]
public class FhirServerTests(Peers peers)
{
    private const string MrnSystem = "http://hospital.example.org/mrn";

    [Fact]
    public async System.Threading.Tasks.Task CreatedPatientIsFoundByIdentifier()
    {
        using var http = new HttpClient { BaseAddress = peers.FhirUrl };
        var store = new FhirStore(http);
        var mrn = $"TEST-{Guid.NewGuid():N}";
        var patient = new Patient
        {
            Identifier = [new Identifier(MrnSystem, mrn)],
            Name = [new HumanName { Family = "Testperson", Given = ["Ada"] }],
            BirthDate = "1950-04-01",
        };

        var created = await store.CreateAsync(patient);
        var found = await store.SearchByIdentifierAsync<Patient>(MrnSystem, mrn);

        Assert.False(string.IsNullOrEmpty(created.Id));
        Assert.Equal(created.Id, Assert.Single(found).Id);
    }

    [Fact]
    public async System.Threading.Tasks.Task InvalidResourceIsRejectedWithACodedReason()
    {
        using var http = new HttpClient { BaseAddress = peers.FhirUrl };
        var report = new DiagnosticReport { Code = new CodeableConcept("http://loinc.org", "36643-5") }; // status is required

        var error = await Assert.ThrowsAsync<FhirStoreException>(() => new FhirStore(http).CreateAsync(report));

        Assert.Equal(FhirStoreException.Rejected, error.Code);
        Assert.Equal(400, error.HttpStatus);
    }
}
