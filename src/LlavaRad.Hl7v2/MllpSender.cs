using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace LlavaRad.Hl7v2;

public sealed class MllpSenderOptions
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 2575;
    public bool UseTls { get; set; }
    /// <summary>The name the receiver's certificate must carry; the host when empty.</summary>
    public string? TlsServerName { get; set; }
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The receiver's answer: MSA-1 and the text it gave (MSA-3, else ERR-8).</summary>
public sealed record AckResult(string Code, string? Text)
{
    /// <summary>AA (original mode) or CA (enhanced mode): the receiver has taken responsibility for the message.</summary>
    public bool Accepted => Code is "AA" or "CA";
}

/// <summary>A send that got no usable answer; <see cref="Code"/> is lower-kebab-case (mllp-unreachable, mllp-timeout, mllp-bad-ack).</summary>
public sealed class MllpException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}

/// <summary>
/// Sends one message per connection over MLLP (HL7 v2 Appendix C: 0x0B message 0x1C 0x0D) and reads the ACK,
/// which must acknowledge the message's own MSH-10. The ACK read is capped, so a babbling receiver cannot grow memory.
/// </summary>
public sealed class MllpSender(MllpSenderOptions options)
{
    private const byte StartBlock = 0x0B, EndBlock = 0x1C, CarriageReturn = 0x0D;
    private const int MaxAckBytes = 64 * 1024;

    public async Task<AckResult> SendAsync(string message, CancellationToken cancellationToken)
    {
        var controlId = Er7.FindSegment(message, "MSH") is { Length: > 9 } msh ? msh[9] : throw new ArgumentException("message has no MSH-10", nameof(message));
        using var client = new TcpClient();
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connect.CancelAfter(options.ConnectTimeout);
            try { await client.ConnectAsync(options.Host, options.Port, connect.Token); }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new MllpException("mllp-unreachable", $"MLLP receiver {options.Host}:{options.Port} unreachable: {e.Message}", e);
            }
        }
        await using var stream = await OpenStreamAsync(client, cancellationToken);
        using var exchange = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        exchange.CancelAfter(options.AckTimeout);
        try
        {
            var body = Encoding.UTF8.GetBytes(message);
            await stream.WriteAsync(new[] { StartBlock }, exchange.Token);
            await stream.WriteAsync(body, exchange.Token);
            await stream.WriteAsync(new[] { EndBlock, CarriageReturn }, exchange.Token);
            await stream.FlushAsync(exchange.Token);
            return ParseAck(await ReadFrameAsync(stream, exchange.Token), controlId);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new MllpException("mllp-timeout", $"no ACK from {options.Host}:{options.Port} within {options.AckTimeout}: {e.Message}", e);
        }
    }

    private async Task<Stream> OpenStreamAsync(TcpClient client, CancellationToken cancellationToken)
    {
        if (!options.UseTls) return client.GetStream();
        var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = options.TlsServerName ?? options.Host }, cancellationToken);
        return tls;
    }

    private static async Task<string> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var frame = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0) throw new MllpException("mllp-bad-ack", "the receiver closed the connection before a complete ACK");
            frame.Write(buffer, 0, read);
            var bytes = frame.GetBuffer().AsSpan(0, (int)frame.Length);
            var start = bytes.IndexOf(StartBlock);
            var end = bytes.IndexOf([EndBlock, CarriageReturn]);
            if (start >= 0 && end > start) return Encoding.UTF8.GetString(bytes[(start + 1)..end]);
            if (frame.Length > MaxAckBytes) throw new MllpException("mllp-bad-ack", $"ACK larger than {MaxAckBytes} bytes");
        }
    }

    private static AckResult ParseAck(string ack, string controlId)
    {
        var msa = Er7.FindSegment(ack, "MSA") ?? throw new MllpException("mllp-bad-ack", "the answer has no MSA segment");
        if (msa.Length < 3 || msa[2] != controlId)
            throw new MllpException("mllp-bad-ack", $"the ACK acknowledges control id '{(msa.Length > 2 ? msa[2] : "")}', not '{controlId}'");
        var text = msa.Length > 3 && msa[3].Length > 0 ? msa[3]
            : Er7.FindSegment(ack, "ERR") is { Length: > 8 } err && err[8].Length > 0 ? err[8] : null;
        return new AckResult(msa[1], text);
    }
}
