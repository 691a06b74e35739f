using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LlavaRad.Tests.Shared;

/// <summary>
/// A loopback HTTP listener of the test's own (not a fake of any peer): it records the head of every request it
/// receives (request line and headers) and answers each with the one response it was given, so a test can prove
/// that the code under test sent nothing to it, or what it sent.
/// </summary>
public sealed class RecordingListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _response;
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public RecordingListener(string response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    {
        _response = response;
        _listener.Start();
        _ = Task.Run(AcceptLoopAsync);
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>TCP connections accepted, whether or not a whole request head followed.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public ConcurrentQueue<string> RequestHeads { get; } = new();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[4096];
            try
            {
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && head.Length < 64 * 1024)
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0) break;
                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
                RequestHeads.Enqueue(head.ToString());
                await stream.WriteAsync(Encoding.ASCII.GetBytes(_response), _stop.Token);
            }
            catch (Exception) { /* the client went away; what arrived is recorded */ }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
