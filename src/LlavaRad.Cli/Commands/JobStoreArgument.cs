using System.CommandLine;
using System.Data.Common;
using LlavaRad.Worker.Jobs;
using Npgsql;

namespace LlavaRad.Cli;

/// <summary>
/// "--store sqlite:PATH | postgres:CONNECTION" for the operator verbs; the worker's embedded default when absent.
/// The store must already exist: an operator command never creates or migrates one.
/// </summary>
public sealed class JobStoreArgument : IAsyncDisposable
{
    public const string Default = "sqlite:llavarad-jobs.db";
    private readonly NpgsqlDataSource? _postgres;

    private JobStoreArgument(SqlDialect dialect, string description, NpgsqlDataSource? postgres)
    {
        Dialect = dialect;
        Description = description;
        _postgres = postgres;
    }

    /// <summary>The `--store` option of the operator verbs.</summary>
    public static Option<string> Option() =>
        CliOptions.Text("--store", "sqlite:PATH|postgres:CONNECTION", "the worker's job store", Default);

    public SqlDialect Dialect { get; }

    /// <summary>For messages: the SQLite path, or the PostgreSQL host and database (never the password).</summary>
    public string Description { get; }

    public static JobStoreArgument Open(string spec)
    {
        var colon = spec.IndexOf(':');
        var (kind, value) = colon > 0 ? (spec[..colon], spec[(colon + 1)..]) : ("", spec);
        switch (kind)
        {
            case "sqlite":
                if (!File.Exists(value)) throw new CommandFailedException($"no job store at {value} (the worker's JobStore:SqlitePath)");
                return new JobStoreArgument(JobStoreDialects.Sqlite(value), value, null);
            case "postgres" or "postgresql":
                NpgsqlConnectionStringBuilder builder;
                try
                {
                    builder = new NpgsqlConnectionStringBuilder(value);
                }
                catch (ArgumentException e)
                {
                    throw new UsageException($"--store postgres: connection string not understood: {e.Message}");
                }
                var dataSource = NpgsqlDataSource.Create(builder);
                return new JobStoreArgument(JobStoreDialects.Postgres(dataSource), $"postgres {builder.Host}/{builder.Database}", dataSource);
            default:
                throw new UsageException($"--store must be sqlite:PATH or postgres:CONNECTION, got \"{spec}\"");
        }
    }

    /// <summary>Runs a store call, turning database failures into a message that names the store.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable } ||
                                  (e is Microsoft.Data.Sqlite.SqliteException && e.Message.Contains("no such table", StringComparison.Ordinal)))
        {
            throw new CommandFailedException($"{Description} has no jobs table: is this a worker's job store? (the worker creates it at start)");
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            throw new CommandFailedException($"job store {Description}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
