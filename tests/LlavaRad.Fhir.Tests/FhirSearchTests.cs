using Hl7.Fhir.Rest;

namespace LlavaRad.Fhir.Tests;

/// <summary>Token conditions as FHIR R4 search (§3.1.1.1.4 "Escaping Search Parameters") spells them.</summary>
public class FhirSearchTests
{
    [Fact]
    public void AnIdentifierConditionIsSystemBarValueWithTheUrlEscapedByFirely()
    {
        var query = FhirSearch.Identifier("http://example.org/ids", "abc-123").QueryString();

        Assert.Equal("identifier=http%3A%2F%2Fexample.org%2Fids%7Cabc-123", query);
    }

    [Theory]
    [InlineData("a,b", "a\\,b")]
    [InlineData("a|b", "a\\|b")]
    [InlineData("a$b", "a\\$b")]
    [InlineData("a\\b", "a\\\\b")]
    public void CommasBarsDollarsAndBackslashesInAPartAreEscapedSoTheServerReadsOneToken(string part, string escaped)
    {
        var condition = new SearchParams().Token("_tag", part, part).QueryString();

        Assert.Equal($"_tag={escaped}|{escaped}", Uri.UnescapeDataString(condition));
    }

    [Fact]
    public void AConditionalCreatePostsTheResourceTypeWithTheConditionAsIfNoneExist()
    {
        var entry = FhirSearch.ConditionalCreate("urn:uuid:1", new Hl7.Fhir.Model.Device(), FhirSearch.Tag("urn:s", "k"));

        var request = entry.Request!;
        Assert.Equal(Hl7.Fhir.Model.Bundle.HTTPVerb.POST, request.Method);
        Assert.Equal("Device", request.Url);
        Assert.Equal("_tag=urn:s|k", Uri.UnescapeDataString(request.IfNoneExist!));
    }
}
