using System.Data.Common;

namespace LlavaRad.Worker.Jobs;

/// <summary>The few places where SQLite and PostgreSQL differ; everything else is shared SQL.</summary>
public sealed record SqlDialect(
    string Name,
    string IdColumn,
    string ClaimLockClause,
    string MigrationLockStatement,
    Func<CancellationToken, ValueTask<DbConnection>> OpenConnection);
