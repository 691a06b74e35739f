namespace LlavaRad.Imaging.DicomWeb;

/// <summary>
/// One DICOMweb server the site configured, with the credentials that belong to it alone. An address that comes
/// from data (a FHIR Endpoint named by an ImagingStudy) is used only when a configured base covers it: same scheme,
/// host and port, and a path under the base's path.
/// </summary>
public sealed record DicomWebBase(Uri Url, DicomWebCredentials Credentials)
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

    /// <summary>Whether <paramref name="address"/> lies under this base (both compared in their normalised form).</summary>
    public bool Covers(Uri address) => Normalize(address.OriginalString) is { } target && Covers(Url, target);

    internal static bool Covers(Uri scope, Uri target) =>
        string.Equals(scope.Scheme, target.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(scope.IdnHost, target.IdnHost, StringComparison.OrdinalIgnoreCase)
        && scope.Port == target.Port
        && target.AbsolutePath.StartsWith(scope.AbsolutePath.EndsWith('/') ? scope.AbsolutePath : scope.AbsolutePath + "/", StringComparison.Ordinal);
}

/// <summary>Basic or bearer credentials of one DICOMweb base; secrets, never logged.</summary>
public sealed record DicomWebCredentials(string? Username = null, string? Password = null, string? BearerToken = null)
{
    public static readonly DicomWebCredentials None = new();

    public override string ToString() => "DicomWebCredentials { *** }"; // a record would print the secrets
}

/// <summary>One entry of <c>DicomWeb:AllowedBases</c>: a further PACS the worker may read, with its own credentials.</summary>
public sealed class DicomWebBaseOptions
{
    public string Url { get; set; } = "";
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? BearerToken { get; set; }
}
