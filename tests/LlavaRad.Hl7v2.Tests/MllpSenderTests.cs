namespace LlavaRad.Hl7v2.Tests;

/// <summary>The sender against a real MLLP receiver (python3-hl7's server and parser, see hl7/mllp_listener.py).</summary>
public sealed class MllpSenderTests
{
    private static readonly Hl7Endpoints Endpoints = new("LLAVARAD", "HOSP-A", "RIS", "HOSP-A");
    private static readonly string Message = OruR01Builder.Build(OruR01BuilderTests.Draft(), Endpoints);
    private static readonly string ControlId = OruR01Builder.ControlId("draft-key-1", 1);

    private static MllpSender Sender(int port, TimeSpan? ackTimeout = null) => new(new MllpSenderOptions
    {
        Host = "127.0.0.1", Port = port, ConnectTimeout = TimeSpan.FromSeconds(20), AckTimeout = ackTimeout ?? TimeSpan.FromSeconds(60),
    });

    [Fact]
    public async Task AnAcceptedMessageIsAcknowledgedWithAa()
    {
        using var dir = new TempDirectory();
        using var listener = new MllpListener(dir.File("log"));
        var ack = await Sender(listener.Port).SendAsync(Message, CancellationToken.None);
        Assert.True(ack.Accepted);
        Assert.Equal("AA", ack.Code);
        Assert.Equal([ControlId], File.ReadAllLines(dir.File("log")));
    }

    [Fact]
    public async Task ARejectionReturnsTheReceiversTextAndARetryCanSucceed()
    {
        using var dir = new TempDirectory();
        using var listener = new MllpListener(dir.File("log"), replies: "AE,AA", text: "PID-3 unknown patient");
        var sender = Sender(listener.Port);
        var first = await sender.SendAsync(Message, CancellationToken.None);
        var retry = await sender.SendAsync(Message, CancellationToken.None);
        Assert.False(first.Accepted);
        Assert.Equal("AE", first.Code);
        Assert.Equal("PID-3 unknown patient", first.Text);
        Assert.True(retry.Accepted);
        Assert.Equal([ControlId, ControlId], File.ReadAllLines(dir.File("log")));
    }

    [Fact]
    public async Task ADownReceiverIsReportedAndTheSameMessageGoesThroughOnceItIsBack()
    {
        using var dir = new TempDirectory();
        var port = ClosedPort.Next();
        var down = await Assert.ThrowsAsync<MllpException>(() => Sender(port).SendAsync(Message, CancellationToken.None));
        Assert.Equal("mllp-unreachable", down.Code);

        using var listener = new MllpListener(dir.File("log"), port: port);
        Assert.True((await Sender(port).SendAsync(Message, CancellationToken.None)).Accepted);
        Assert.Equal([ControlId], File.ReadAllLines(dir.File("log")));
    }

    [Fact]
    public async Task AReceiverKilledBeforeItsAckLeavesTheResendWithTheSameControlId()
    {
        using var dir = new TempDirectory();
        var log = dir.File("log");
        int port;
        using (var dying = new MllpListener(log, hold: 1))
        {
            port = dying.Port;
            var send = Sender(port).SendAsync(Message, CancellationToken.None);
            for (var i = 0; i < 1200 && (!File.Exists(log) || File.ReadAllLines(log).Length == 0); i++) await Task.Delay(50);
            dying.Dispose(); // kill -9 between receipt and ACK
            var lost = await Assert.ThrowsAsync<MllpException>(() => send);
            Assert.Contains(lost.Code, new[] { "mllp-timeout", "mllp-bad-ack" });
        }
        // The message is rebuilt from the same draft version, as the worker does after a crash.
        using var back = new MllpListener(log, port: port);
        var resent = OruR01Builder.Build(OruR01BuilderTests.Draft(), Endpoints);
        Assert.True((await Sender(port).SendAsync(resent, CancellationToken.None)).Accepted);
        Assert.Equal([ControlId, ControlId], File.ReadAllLines(log));
    }
}
