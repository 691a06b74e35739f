namespace LlavaRad.Contracts;

/// <summary>
/// The one rule for "does this address lie under a configured base": used for every outbound call whose target
/// comes from data (a DICOMweb Endpoint, a FHIR reference, a next link, a discovered token endpoint). Shared here so
/// the DICOMweb and FHIR sides compare addresses the same way without depending on each other.
/// </summary>
public static class UrlScope
{
    /// <summary>
    /// The comparable form of an address: absolute http(s), no user info, query or fragment, dot segments resolved,
    /// no encoded dots or slashes that a server might resolve differently, and a path ending in '/'. Null otherwise.
    /// </summary>
    public static Uri? Normalize(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || !Uri.TryCreate(address.Trim(), UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0) return null;
        var path = uri.AbsolutePath;
        if (path.Contains("%2e", StringComparison.OrdinalIgnoreCase) || path.Contains("%2f", StringComparison.OrdinalIgnoreCase)
            || path.Contains("%5c", StringComparison.OrdinalIgnoreCase) || path.Contains('\\')) return null;
        return new UriBuilder(uri.Scheme, uri.IdnHost, uri.Port, path.EndsWith('/') ? path : path + "/").Uri;
    }

    /// <summary>
    /// The normalised form of a request's target, its query and fragment set aside (a FHIR search or a next link
    /// carries its parameters there; they do not change where the request goes). Null when it has no usable form.
    /// </summary>
    public static Uri? NormalizeTarget(Uri? target) =>
        target is { IsAbsoluteUri: true } && target.UserInfo.Length == 0 ? Normalize(target.GetLeftPart(UriPartial.Path)) : null;

    /// <summary>Whether <paramref name="target"/> lies under <paramref name="scope"/>; both already normalised.</summary>
    public static bool Covers(Uri scope, Uri target) =>
        SameOrigin(scope, target)
        && target.AbsolutePath.StartsWith(scope.AbsolutePath.EndsWith('/') ? scope.AbsolutePath : scope.AbsolutePath + "/", StringComparison.Ordinal);

    /// <summary>Same scheme, host and port.</summary>
    public static bool SameOrigin(Uri scope, Uri target) =>
        string.Equals(scope.Scheme, target.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(scope.IdnHost, target.IdnHost, StringComparison.OrdinalIgnoreCase)
        && scope.Port == target.Port;
}
