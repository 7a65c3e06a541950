using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;

namespace Tally.Analytics.Warehouse;

/// <summary>
/// The access-log warehouse: one DuckDB database with the Athena-compatible <c>access_logs</c>
/// table, <c>rejected_lines</c>, <c>loaded_files</c>, a view per source bucket and the Presto
/// function macros (DESIGN §6, spec §7).
/// </summary>
/// <remarks>Not thread-safe: one connection, used by one caller at a time.</remarks>
public sealed class LogWarehouse : IDisposable
{
    private readonly string? _deleteOnDispose;

    private LogWarehouse(DuckDBConnection connection, string? path, string? deleteOnDispose, WarehouseOptions options)
    {
        Options = options;
        Connection = connection;
        Path = path;
        _deleteOnDispose = deleteOnDispose;
    }

    /// <summary>The database file; null for an in-memory warehouse.</summary>
    public string? Path { get; }

    internal DuckDBConnection Connection { get; }

    internal WarehouseOptions Options { get; }

    /// <summary>
    /// DuckDB's memory_limit for a bulk load: three quarters of <see cref="WarehouseOptions.MemoryLimit"/>,
    /// because the CSV reader and each thread's append state allocate outside DuckDB's buffer pool
    /// (about 250 MB loading the benchmark corpus) and the parsing workers need some too; null when
    /// the limit is not a plain size (such as a percentage), which is then used as it is.
    /// </summary>
    internal string? LoadMemoryLimit()
    {
        var match = System.Text.RegularExpressions.Regex.Match(
            Options.MemoryLimit, @"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        if (!match.Success)
        {
            return null;
        }

        var unit = match.Groups[2].Value.ToLowerInvariant() switch
        {
            "kb" => 1e3,
            "mb" => 1e6,
            "gb" => 1e9,
            "tb" => 1e12,
            "kib" => 1024.0,
            "mib" => 1024.0 * 1024,
            "gib" => 1024.0 * 1024 * 1024,
            "tib" => 1024.0 * 1024 * 1024 * 1024,
            _ => 1.0,
        };
        var bytes = (long)(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * unit * 3 / 4);
        return string.Create(CultureInfo.InvariantCulture, $"{bytes}B");
    }

    /// <summary>Where <c>tally</c> keeps the warehouse of a data directory.</summary>
    public static string PathFor(string dataDir) => System.IO.Path.Combine(dataDir, "analytics", "warehouse.duckdb");

    /// <summary>Opens (creating if needed) a warehouse file and brings its schema up to date.</summary>
    /// <exception cref="WarehouseBusyException">Another process still held the file after <see cref="WarehouseOptions.LockWait"/>.</exception>
    public static LogWarehouse Open(string path, WarehouseOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return Create(full, full, deleteOnDispose: null, options ?? new WarehouseOptions());
    }

    /// <summary>
    /// Opens an existing warehouse file for queries only. Several processes may read one warehouse
    /// at once, but not while a process writes it (DuckDB's file lock): <c>tally serve</c> holds
    /// the file only while it loads newly delivered logs, so a reader waits up to
    /// <see cref="WarehouseOptions.LockWait"/> for that to end.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no warehouse at <paramref name="path"/>.</exception>
    /// <exception cref="WarehouseBusyException">A writer still held the file after <see cref="WarehouseOptions.LockWait"/>.</exception>
    /// <exception cref="NotSupportedException">The file has an older layout, which only a read-write open upgrades.</exception>
    public static LogWarehouse OpenReadOnly(string path, WarehouseOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"No warehouse at {full}.", full);
        }

        return Create(full + ";ACCESS_MODE=READ_ONLY", full, deleteOnDispose: null, (options ?? new WarehouseOptions()) with { ReadOnly = true });
    }

    public static LogWarehouse OpenInMemory(WarehouseOptions? options = null) =>
        Create(":memory:", path: null, deleteOnDispose: null, options ?? new WarehouseOptions());

    /// <summary>
    /// A scratch warehouse in a temporary file, deleted on dispose: unlike an in-memory database it
    /// can spill, so a large <c>--source</c> stays within the memory limit.
    /// </summary>
    public static LogWarehouse OpenTemporary(WarehouseOptions? options = null)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tally-{Guid.NewGuid():N}.duckdb");
        return Create(path, path, deleteOnDispose: path, options ?? new WarehouseOptions());
    }

    private static LogWarehouse Create(string dataSource, string? path, string? deleteOnDispose, WarehouseOptions options)
    {
        var connection = OpenConnection(dataSource, path, options);
        try
        {
            var warehouse = new LogWarehouse(connection, path, deleteOnDispose, options);
            warehouse.Configure(options);
            return warehouse;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens the DuckDB connection, waiting up to <see cref="WarehouseOptions.LockWait"/> while another process holds the file.</summary>
    private static DuckDBConnection OpenConnection(string dataSource, string? path, WarehouseOptions options)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            // A new file gets the storage format of the DuckDB we ship rather than 0.10's: its string
            // compression costs about 13 % less CPU on a bulk load for the same size
            // (bench/analytics/README.md). An existing file keeps the format it was created with.
            var connection = new DuckDBConnection($"DataSource={dataSource};storage_compatibility_version=latest");
            try
            {
                connection.Open();
                return connection;
            }
            catch (DuckDBException e) when (IsLockConflict(e))
            {
                connection.Dispose();
                if (waited.Elapsed >= options.LockWait)
                {
                    throw new WarehouseBusyException(path ?? dataSource, e);
                }

                // Opening is synchronous (DuckDB's API is); the wait is bounded by LockWait and the
                // other process usually releases the file within seconds.
                Thread.Sleep(LockRetryDelay);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>DuckDB's "IO Error: Could not set lock on file …: Conflicting lock is held in … (PID n)".</summary>
    internal static bool IsLockConflict(DuckDBException e) => e.Message.Contains("Could not set lock on file", StringComparison.Ordinal);

    private void Configure(WarehouseOptions options)
    {
        // Presto reads a zone-less parse_datetime pattern in the session zone, UTC in Athena.
        Execute("SET TimeZone = 'UTC'");
        Execute($"SET memory_limit = {AthenaFunctions.Literal(options.MemoryLimit)}");
        // Ingest order is not meaningful (records in a log object are unordered, spec §1.1).
        Execute("SET preserve_insertion_order = false");
        if (options.Threads is { } threads)
        {
            Execute($"SET threads = {threads.ToString(CultureInfo.InvariantCulture)}");
        }

        if (options.TempDirectory is { } temp)
        {
            Execute($"SET temp_directory = {AthenaFunctions.Literal(temp)}");
        }

        if (options.ReadOnly)
        {
            CheckSchemaVersion();
        }
        else
        {
            BringSchemaUpToDate();
        }

        // A read-only database cannot store macros; temporary ones live in the session.
        foreach (var statement in AthenaFunctions.CreateStatements(temporary: options.ReadOnly))
        {
            Execute(statement);
        }
    }

    private void CheckSchemaVersion()
    {
        var hasMeta = Count("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'warehouse_meta'") > 0;
        var recorded = hasMeta ? Scalar("SELECT value FROM warehouse_meta WHERE name = 'schema_version'") as string : null;
        if (recorded != WarehouseSchema.Version.ToString(CultureInfo.InvariantCulture))
        {
            throw new NotSupportedException(string.Create(
                CultureInfo.InvariantCulture,
                $"The warehouse {Path} has layout {recorded ?? "1"}, this tally reads layout {WarehouseSchema.Version}; open it read-write once (tally logs ingest) to upgrade it."));
        }
    }

    /// <summary>Creates the tables of a new warehouse, or migrates an older layout (<see cref="WarehouseSchema.Version"/>).</summary>
    private void BringSchemaUpToDate()
    {
        var existing = Count($"SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = '{WarehouseSchema.AccessLogsTable}'") > 0;
        Execute("CREATE TABLE IF NOT EXISTS warehouse_meta (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)");
        var recorded = Scalar("SELECT value FROM warehouse_meta WHERE name = 'schema_version'") as string;
        var version = recorded is null ? (existing ? 1 : WarehouseSchema.Version) : int.Parse(recorded, CultureInfo.InvariantCulture);
        if (version > WarehouseSchema.Version)
        {
            throw new NotSupportedException(string.Create(
                CultureInfo.InvariantCulture,
                $"The warehouse {Path} has layout {version}, newer than this tally knows ({WarehouseSchema.Version}); use a newer tally or ingest into a new data directory."));
        }

        Execute("BEGIN TRANSACTION");
        try
        {
            if (version == 1)
            {
                // Version 1 stored every typed column; keep the stored ones and let the rest be computed.
                var stored = string.Join(", ", WarehouseSchema.StoredAccessLogColumns.Select(c => WarehouseSchema.Quote(c.Name)));
                Execute($"ALTER TABLE {WarehouseSchema.AccessLogsTable} RENAME TO {WarehouseSchema.AccessLogsTable}_v1");
                Execute(WarehouseSchema.CreateStatements().Single(s => s.Contains($" {WarehouseSchema.AccessLogsTable} (", StringComparison.Ordinal)));
                Execute($"INSERT INTO {WarehouseSchema.AccessLogsTable} ({stored}) SELECT {stored} FROM {WarehouseSchema.AccessLogsTable}_v1");
                Execute($"DROP TABLE {WarehouseSchema.AccessLogsTable}_v1");
            }

            foreach (var statement in WarehouseSchema.CreateStatements())
            {
                Execute(statement);
            }

            Execute(string.Create(CultureInfo.InvariantCulture, $"INSERT OR REPLACE INTO warehouse_meta VALUES ('schema_version', '{WarehouseSchema.Version}')"));
            Execute("COMMIT");
        }
        catch
        {
            Execute("ROLLBACK");
            throw;
        }
    }

    public int Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public long Count(string sql) => Convert.ToInt64(Scalar(sql) ?? 0L, CultureInfo.InvariantCulture);

    /// <summary>A command for <paramref name="sql"/>; the caller disposes it after its reader.</summary>
    /// <remarks>Executing it throws <see cref="DuckDBException"/> with DuckDB's message for invalid SQL.</remarks>
    public DbCommand CreateCommand(string sql)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>
    /// Creates or replaces one view per source bucket (<see cref="WarehouseSchema.BucketViewName"/>),
    /// in the main schema and in <c>s3_access_logs_db</c>, the database of the AWS DDL (spec §7.2),
    /// so <c>s3_access_logs_db.mybucket_logs</c> in a copied AWS query names the view of <c>mybucket</c>.
    /// </summary>
    /// <returns>The view names.</returns>
    public IReadOnlyList<string> RefreshBucketViews()
    {
        var buckets = new List<string>();
        using (var command = CreateCommand($"SELECT DISTINCT bucket_name FROM {WarehouseSchema.AccessLogsTable} WHERE bucket_name IS NOT NULL ORDER BY 1"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                buckets.Add(reader.GetString(0));
            }
        }

        var views = new List<string>();
        foreach (var bucket in buckets)
        {
            var view = WarehouseSchema.BucketViewName(bucket);
            var body = $"AS SELECT * FROM main.{WarehouseSchema.AccessLogsTable} WHERE bucket_name = {AthenaFunctions.Literal(bucket)}";
            Execute($"CREATE OR REPLACE VIEW main.{WarehouseSchema.Quote(view)} {body}");
            Execute($"CREATE OR REPLACE VIEW {WarehouseSchema.AthenaDatabase}.{WarehouseSchema.Quote(view)} {body}");
            views.Add(view);
        }

        return views;
    }

    public void Dispose()
    {
        Connection.Dispose();
        if (_deleteOnDispose is not null)
        {
            foreach (var file in new[] { _deleteOnDispose, _deleteOnDispose + ".wal" })
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // A scratch file left behind in the temp directory is harmless.
                }
            }
        }
    }
}
