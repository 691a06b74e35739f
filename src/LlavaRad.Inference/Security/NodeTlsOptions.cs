namespace LlavaRad.Inference.Security;

/// <summary>Bound from "Inference:Tls". PEM files; a client CA turns on mutual TLS.</summary>
public sealed class NodeTlsOptions
{
    public string CertificatePath { get; set; } = "";
    public string KeyPath { get; set; } = "";

    /// <summary>When set, every client must present a certificate that chains to one of these CAs.</summary>
    public string ClientCaPath { get; set; } = "";

    /// <summary>How long a client may take to finish the TLS handshake; generous, since a loaded host is slow to do its part too.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => CertificatePath.Length > 0;
    public bool RequireClientCertificate => ClientCaPath.Length > 0;
}
