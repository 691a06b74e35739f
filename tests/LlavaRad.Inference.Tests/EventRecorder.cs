using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LlavaRad.Inference.Tests;

/// <summary>Keeps every log message with its event id, so a test can count what the node logged.</summary>
public sealed class EventRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<(int EventId, string Message)> _events = new();

    public IReadOnlyList<string> Messages(int eventId) => _events.Where(e => e.EventId == eventId).Select(e => e.Message).ToList();

    public ILogger CreateLogger(string categoryName) => new Recorder(_events);

    public void Dispose() { }

    private sealed class Recorder(ConcurrentQueue<(int, string)> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            events.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
