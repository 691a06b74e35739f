using LlavaRad.Contracts;

namespace LlavaRad.Imaging.DicomWeb;

/// <summary>
/// One DICOMweb server the site configured, with the credentials that belong to it alone. An address that comes
/// from data (a FHIR Endpoint named by an ImagingStudy) is used only when a configured base covers it: same scheme,
/// host and port, and a path under the base's path (<see cref="UrlScope"/>).
/// </summary>
public sealed record DicomWebBase(Uri Url, DicomWebCredentials Credentials)
{
    /// <summary>Whether <paramref name="address"/> lies under this base (both compared in their normalised form).</summary>
    public bool Covers(Uri address) => UrlScope.Normalize(address.OriginalString) is { } target && UrlScope.Covers(Url, target);
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
