using System.Data.Common;

namespace LlavaRad.Worker.Jobs;

/// <summary>One short connection per statement, "@name" parameters; shared by the job store and the cursor store.</summary>
public static class SqlCommands
{
    public static async Task<int> ExecuteAsync(SqlDialect dialect, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var connection = await dialect.OpenConnection(cancellationToken);
        await using var command = Create(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<T?> QuerySingleAsync<T>(SqlDialect dialect, string sql, Func<DbDataReader, T> read,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) where T : class
    {
        await using var connection = await dialect.OpenConnection(cancellationToken);
        await using var command = Create(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }

    public static DbCommand Create(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
