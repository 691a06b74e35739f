using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using LlavaRad.Fhir.Auth;
using LlavaRad.Fhir.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlavaRad.Fhir.Tests;

/// <summary>Every FHIR call whose target comes from data stays on the configured base or an allowed one; nothing else is sent.</summary>
public class FhirUrlPolicyTests
{
    private const string Base = "http://ehr.example/fhir/R4/";
    private const string Further = "http://archive.example/fhir/";

    [Theory]
    [InlineData("http://ehr.example/fhir/R4/Endpoint/1", true, true)]
    [InlineData("http://EHR.example:80/fhir/R4/ImagingStudy?_count=1", true, true)]
    [InlineData("http://archive.example/fhir/Endpoint/1", true, false)]
    [InlineData("http://ehr.example/fhir/R4-other/Endpoint/1", false, false)]
    [InlineData("http://ehr.example/fhir/R4/../admin", false, false)]
    [InlineData("http://ehr.example/fhir/R4/%2e%2e/admin", false, false)]
    [InlineData("http://user:pw@ehr.example/fhir/R4/Endpoint/1", false, false)]
    [InlineData("https://ehr.example/fhir/R4/Endpoint/1", false, false)]
    [InlineData("http://ehr.example:8080/fhir/R4/Endpoint/1", false, false)]
    [InlineData("http://169.254.169.254/latest/meta-data/", false, false)]
    public void OnlyTheBaseAndAllowedBasesAreReachableAndOnlyTheBaseGetsCredentials(string target, bool allowed, bool credentials)
    {
        var policy = new FhirUrlPolicy(new Uri(Base), [Further]);

        Assert.Equal(allowed, policy.Allows(new Uri(target)));
        Assert.Equal(credentials, policy.CarriesCredentials(new Uri(target)));
    }

    [Theory]
    [InlineData("http://ehr.example/auth/token", true)]
    [InlineData("http://archive.example/fhir/token", true)]
    [InlineData("http://auth.evil.example/token", false)]
    [InlineData("http://ehr.example:9999/auth/token", false)]
    public void ADiscoveredTokenEndpointMustBeOnTheFhirOriginOrAnAllowedBase(string endpoint, bool allowed) =>
        Assert.Equal(allowed, new FhirUrlPolicy(new Uri(Base), [Further]).AllowsTokenEndpoint(new Uri(endpoint)));

    [Fact]
    public async System.Threading.Tasks.Task AReferenceOffTheBaseIsRefusedWithACodeAndNothingIsSent()
    {
        var network = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.OK));
        var store = StoreOver(network);

        var error = await Assert.ThrowsAsync<FhirStoreException>(() => store.ReadAsync<Endpoint>("http://pacs-harvest.example/fhir/Endpoint/1"));

        Assert.Equal(FhirStoreException.UrlNotAllowed, error.Code);
        Assert.Contains("pacs-harvest.example", error.Message);
        Assert.Empty(network.Received);
    }

    [Fact]
    public async System.Threading.Tasks.Task ANextLinkOffTheBaseIsNotFollowed()
    {
        var network = new ScriptedHandler(Json("""
            {"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"http://elsewhere.example/fhir/R4/ImagingStudy?page=2"}],
             "entry":[{"resource":{"resourceType":"ImagingStudy","id":"a","status":"available","subject":{"reference":"Patient/p"}}}]}
            """));
        var store = StoreOver(network);

        var error = await Assert.ThrowsAsync<FhirStoreException>(() => store.SearchAsync<ImagingStudy>(new SearchParams().LimitTo(1)));

        Assert.Equal(FhirStoreException.UrlNotAllowed, error.Code);
        var first = Assert.Single(network.Received); // the first page only, from our base, with our credentials
        Assert.NotNull(first.Authorization);
    }

    [Fact]
    public async System.Threading.Tasks.Task AnAbsoluteReferenceOnTheBaseIsReadThere()
    {
        var network = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.OK));

        var patient = await StoreOver(network).ReadAsync<Patient>($"{Base}Patient/p1");

        Assert.Equal("p1", patient.Id);
        Assert.NotNull(Assert.Single(network.Received).Authorization);
    }

    [Fact]
    public async System.Threading.Tasks.Task AnAllowedFurtherBaseIsReachedWithoutTheFhirCredentials()
    {
        var network = new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.OK));
        using var client = Services(network).GetRequiredService<IHttpClientFactory>().CreateClient(nameof(FhirStore));

        using var _ = await client.GetAsync(new Uri($"{Further}ImagingStudy?page=2"));

        Assert.Null(Assert.Single(network.Received).Authorization);
    }

    [Fact]
    public async System.Threading.Tasks.Task ADiscoveredTokenEndpointOnAnotherHostGetsNoAssertion()
    {
        var network = new ScriptedHandler(Json("""{"token_endpoint":"http://token-harvest.example/token"}"""));
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var smart = new SmartBackendServicesOptions { ClientId = "worker", PrivateKeyPem = key.ExportPkcs8PrivateKeyPem() };
        var credentials = new SmartBackendCredentials(new HttpClient(network) { BaseAddress = new Uri(Base) },
            Options.Create(new FhirAuthOptions { Mode = FhirAuthMode.SmartBackendServices, Smart = smart }), TimeProvider.System,
            new FhirUrlPolicy(new Uri(Base)));

        var error = await Assert.ThrowsAsync<FhirStoreException>(async () => await credentials.GetAsync(CancellationToken.None));

        Assert.Equal(FhirStoreException.UrlNotAllowed, error.Code);
        Assert.Equal(HttpMethod.Get, Assert.Single(network.Received).Method); // the discovery read, no token request
    }

    /// <summary>The FHIR client as the host builds it (guard, retries, auth), over the scripted network.</summary>
    private static FhirStore StoreOver(ScriptedHandler network) => Services(network).GetRequiredService<FhirStore>();

    private static ServiceProvider Services(ScriptedHandler network)
    {
        var services = new ServiceCollection().AddLogging();
        services.Configure<FhirStoreOptions>(o => { o.BaseUrl = new Uri(Base); o.AllowedBases = [Further]; });
        services.Configure<FhirAuthOptions>(o => { o.Mode = FhirAuthMode.Bearer; o.BearerToken = "fhir-token"; });
        services.AddFhirStore().ConfigurePrimaryHttpMessageHandler(() => network);
        return services.BuildServiceProvider();
    }

    private static Func<HttpRequestMessage, Task<HttpResponseMessage>> Json(string body) => _ => System.Threading.Tasks.Task.FromResult(
        new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/fhir+json") });
}
