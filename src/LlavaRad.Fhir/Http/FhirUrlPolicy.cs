using LlavaRad.Contracts;
using Microsoft.Extensions.Options;

namespace LlavaRad.Fhir.Http;

/// <summary>
/// Where FHIR calls may go. A reference, a next link or a Location comes from the EHR's data, which anyone with write
/// access can shape: a request is sent only under the configured base (<c>Fhir:BaseUrl</c>) or an entry of
/// <c>Fhir:AllowedBases</c>, compared by <see cref="UrlScope"/>. The FHIR credentials go to the configured base alone.
/// </summary>
public sealed class FhirUrlPolicy
{
    private readonly Uri? _base;
    private readonly IReadOnlyList<Uri> _allowed;

    public FhirUrlPolicy(Uri? fhirBase, IEnumerable<string>? allowedBases = null)
    {
        _base = UrlScope.Normalize(fhirBase?.AbsoluteUri);
        _allowed = (allowedBases ?? []).Select(UrlScope.Normalize).OfType<Uri>().ToList();
    }

    public FhirUrlPolicy(IOptions<FhirStoreOptions> options) : this(options.Value.BaseUrl, options.Value.AllowedBases) { }

    /// <summary>Whether a request may be sent to <paramref name="target"/> at all.</summary>
    public bool Allows(Uri? target) =>
        UrlScope.NormalizeTarget(target) is { } t && (Under(_base, t) || _allowed.Any(a => UrlScope.Covers(a, t)));

    /// <summary>Whether the FHIR credentials may be attached: only on the configured base.</summary>
    public bool CarriesCredentials(Uri? target) => UrlScope.NormalizeTarget(target) is { } t && Under(_base, t);

    /// <summary>
    /// A token endpoint found through <c>.well-known/smart-configuration</c>: on the FHIR base's origin (SMART servers
    /// keep their authorization endpoints beside, not under, the FHIR path) or under an allowed base.
    /// </summary>
    public bool AllowsTokenEndpoint(Uri? target) =>
        UrlScope.NormalizeTarget(target) is { } t && (_base is not null && UrlScope.SameOrigin(_base, t) || _allowed.Any(a => UrlScope.Covers(a, t)));

    /// <summary>The coded refusal; it names the refused host only (never a path, which could carry an identifier).</summary>
    public static FhirStoreException Refusal(string what, Uri? target) => new(FhirStoreException.UrlNotAllowed,
        $"{FhirStoreException.UrlNotAllowed}: {what} to host {(target is { IsAbsoluteUri: true } ? target.Authority : "?")} refused: not under Fhir:BaseUrl or Fhir:AllowedBases");

    private static bool Under(Uri? scope, Uri target) => scope is not null && UrlScope.Covers(scope, target);
}
