using System.Globalization;
using LlavaRad.Fhir.Intake;

namespace LlavaRad.Worker.Jobs;

/// <summary>Source cursors in the job store's database, so a restart resumes where each source stopped.</summary>
public sealed class SqlCursorStore(SqlDialect dialect, TimeProvider clock) : IPollCursorStore
{
    public async Task<string?> LoadTextAsync(string name, CancellationToken cancellationToken) =>
        (await SqlCommands.QuerySingleAsync(dialect, "SELECT value FROM source_cursors WHERE name = @name",
            r => r.GetString(0), cancellationToken, ("name", name)));

    public Task SaveTextAsync(string name, string value, CancellationToken cancellationToken) =>
        SqlCommands.ExecuteAsync(dialect, """
            INSERT INTO source_cursors (name, value, updated_at) VALUES (@name, @value, @now)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """, cancellationToken, ("name", name), ("value", value), ("now", clock.GetUtcNow().ToUnixTimeMilliseconds()));

    public async Task<DateTimeOffset?> LoadAsync(string name, CancellationToken cancellationToken) =>
        await LoadTextAsync(name, cancellationToken) is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : null;

    public Task SaveAsync(string name, DateTimeOffset cursor, CancellationToken cancellationToken) =>
        SaveTextAsync(name, cursor.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
}
