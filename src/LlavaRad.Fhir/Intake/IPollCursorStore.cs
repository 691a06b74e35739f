namespace LlavaRad.Fhir.Intake;

/// <summary>
/// Where the poller keeps how far it has read, so a restart resumes instead of re-reading everything or missing
/// the gap. The worker stores it next to its jobs (SQLite/PostgreSQL); <see cref="InMemoryPollCursorStore"/> is for tests.
/// </summary>
public interface IPollCursorStore
{
    Task<DateTimeOffset?> LoadAsync(string name, CancellationToken cancellationToken);
    Task SaveAsync(string name, DateTimeOffset cursor, CancellationToken cancellationToken);
}

public sealed class InMemoryPollCursorStore : IPollCursorStore
{
    private readonly Dictionary<string, DateTimeOffset> _cursors = [];

    public Task<DateTimeOffset?> LoadAsync(string name, CancellationToken cancellationToken)
    {
        lock (_cursors) return System.Threading.Tasks.Task.FromResult<DateTimeOffset?>(_cursors.TryGetValue(name, out var c) ? c : null);
    }

    public Task SaveAsync(string name, DateTimeOffset cursor, CancellationToken cancellationToken)
    {
        lock (_cursors) _cursors[name] = cursor;
        return System.Threading.Tasks.Task.CompletedTask;
    }
}
