namespace LlavaRad.Fhir.Notifications;

/// <summary>
/// How rest-hook senders prove who they are (bound from "Fhir:Notifications"). At least one must be set;
/// with neither, every notification is refused.
/// </summary>
public sealed class NotificationOptions
{
    /// <summary>The exact Authorization header value the Subscription's channel.header carries, e.g. "Bearer s3cret".</summary>
    public string? ExpectedAuthorization { get; set; }

    /// <summary>Shared secret for an HMAC-SHA256 signature of the raw body, sent as "sha256=&lt;hex&gt;".</summary>
    public string? HmacSecret { get; set; }
    public string HmacHeader { get; set; } = "X-Hub-Signature-256";
}
