namespace LlavaRad.Worker.Listeners;

/// <summary>
/// Bound from "Worker:Listeners": where the FHIR notification endpoint (and the review app, when enabled) listens,
/// and where /metrics and /health/* listen. Both default to loopback, so nothing is reachable from the network until
/// an operator names an interface.
/// </summary>
public sealed class WorkerListenersOptions
{
    public const string Section = "Worker:Listeners";

    public ListenerOptions Notifications { get; set; } = new() { Port = 5080 };
    public ListenerOptions Operations { get; set; } = new() { Port = 5081 };
}

/// <summary>One Kestrel listener: an IP address and port, with TLS when a certificate is set.</summary>
public sealed class ListenerOptions
{
    /// <summary>An IP address ("0.0.0.0" or "::" for every interface); loopback unless set.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port at start (tests).</summary>
    public int Port { get; set; }

    /// <summary>The server certificate: a PEM certificate with <see cref="KeyPath"/>, or a PKCS#12 (.pfx) file with <see cref="CertificatePassword"/>.</summary>
    public string CertificatePath { get; set; } = "";

    public string KeyPath { get; set; } = "";
    public string CertificatePassword { get; set; } = "";

    public ClientCertificates ClientCertificateMode { get; set; } = ClientCertificates.None;

    /// <summary>PEM file of the CAs a client certificate must chain to; needed when client certificates are asked for.</summary>
    public string ClientCaPath { get; set; } = "";

    /// <summary>How long a client may take to finish the TLS handshake; generous, since a loaded host is slow to do its part too.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Tls => CertificatePath.Length > 0;
}

/// <summary>Whether a TLS listener asks clients for a certificate: none, allow (one presented must chain to the CA), require.</summary>
public enum ClientCertificates
{
    None,
    Allow,
    Require,
}
