using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;

namespace LlavaRad.Fhir;

/// <summary>
/// Token search parameters and the conditional creates built from them, as Firely's
/// TransactionBuilder.ConditionalCreate builds them: the condition is a <see cref="SearchParams"/> that Firely turns
/// into the query string, never a hand-built one.
/// </summary>
public static class FhirSearch
{
    /// <summary>identifier=system|value</summary>
    public static SearchParams Identifier(string system, string value) => new SearchParams().Token("identifier", system, value);

    /// <summary>_tag=system|code</summary>
    public static SearchParams Tag(string system, string code) => new SearchParams().Token("_tag", system, code);

    /// <summary>Adds name=system|code, each part escaped as FHIR search asks (a backslash before \ , | and $).</summary>
    public static SearchParams Token(this SearchParams query, string name, string system, string code) =>
        query.Add(name, $"{Escape(system)}|{Escape(code)}");

    /// <summary>The query string of a search, escaped by Firely (what If-None-Exist and a conditional URL carry).</summary>
    public static string QueryString(this SearchParams query) => query.ToUriParamList().ToQueryString();

    /// <summary>A POST the server skips when a resource already matches the condition (If-None-Exist).</summary>
    public static Bundle.EntryComponent ConditionalCreate(string fullUrl, Resource resource, SearchParams condition) => new()
    {
        FullUrl = fullUrl,
        Resource = resource,
        Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = resource.TypeName, IfNoneExist = condition.QueryString() },
    };

    private static string Escape(string part) =>
        part.Replace(@"\", @"\\").Replace(",", @"\,").Replace("|", @"\|").Replace("$", @"\$");
}
