using Microsoft.Data.Sqlite;

namespace Tally.Storage.Disk;

/// <summary>
/// One open SQLite connection with its prepared commands, reused by SQL text so that each
/// statement is compiled once per connection. Not thread-safe: one user at a time.
/// </summary>
internal sealed class CatalogConnection : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public CatalogConnection(string connectionString)
    {
        Connection = new SqliteConnection(connectionString);
        Connection.Open();
    }

    public SqliteConnection Connection { get; }

    /// <summary>A cached command for <paramref name="sql"/> with its parameters set from <paramref name="args"/> ($p0, $p1 …).</summary>
    public SqliteCommand Command(string sql, params ReadOnlySpan<object?> args)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < args.Length; i++)
            {
                _ = command.Parameters.Add(new SqliteParameter(ParameterName(i), null));
            }

            _commands[sql] = command;
        }

        for (var i = 0; i < args.Length; i++)
        {
            command.Parameters[i].Value = args[i] ?? DBNull.Value;
        }

        return command;
    }

    public int Execute(string sql, params ReadOnlySpan<object?> args) => Command(sql, args).ExecuteNonQuery();

    public object? Scalar(string sql, params ReadOnlySpan<object?> args)
    {
        var value = Command(sql, args).ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        Connection.Dispose();
    }

    private static string ParameterName(int i) => i switch
    {
        0 => "$p0",
        1 => "$p1",
        2 => "$p2",
        3 => "$p3",
        4 => "$p4",
        5 => "$p5",
        _ => "$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
