using Microsoft.Data.Sqlite;
using Npgsql;

namespace LlavaRad.Worker.Jobs;

public static class JobStoreDialects
{
    /// <summary>Embedded default: one file, WAL so readers never block the writer; claims serialise on SQLite's write lock.</summary>
    public static SqlDialect Sqlite(string path)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        return new SqlDialect(
            Name: "sqlite",
            IdColumn: "INTEGER PRIMARY KEY",
            ClaimLockClause: "",
            MigrationLockStatement: "",
            OpenConnection: async cancellationToken =>
            {
                var connection = new SqliteConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
                return connection;
            });
    }

    /// <summary>Several workers: each claim skips rows another worker has locked.</summary>
    public static SqlDialect Postgres(NpgsqlDataSource dataSource) => new(
        Name: "postgresql",
        IdColumn: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        ClaimLockClause: "FOR UPDATE SKIP LOCKED",
        MigrationLockStatement: "SELECT pg_advisory_xact_lock(7417201)", // any constant shared by all workers
        OpenConnection: async cancellationToken => await dataSource.OpenConnectionAsync(cancellationToken));
}
