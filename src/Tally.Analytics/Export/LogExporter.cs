using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Export;

public enum ExportFormat
{
    Parquet,
    Jsonl,
}

/// <summary>What an export wrote.</summary>
public sealed record ExportResult(string Directory, long Rows, int Files);

/// <summary>
/// Writes <c>access_logs</c> for engines bigger than one machine (DESIGN §7): Parquet partitioned
/// by day in Hive style (<c>event_date=2019-02-06/…parquet</c>, readable by Athena, Trino, Spark and
/// DuckDB with hive partitioning) or one newline-delimited JSON file.
/// </summary>
public static class LogExporter
{
    /// <exception cref="IOException"><paramref name="directory"/> is not empty and <paramref name="overwrite"/> is false.</exception>
    public static ExportResult Export(LogWarehouse warehouse, ExportFormat format, string directory, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !overwrite)
        {
            throw new IOException($"{full} is not empty; choose an empty directory or pass --overwrite.");
        }

        Directory.CreateDirectory(full);
        var rows = warehouse.Count($"SELECT count(*) FROM main.{WarehouseSchema.AccessLogsTable}");
        var source = $"SELECT * FROM main.{WarehouseSchema.AccessLogsTable}";
        switch (format)
        {
            case ExportFormat.Parquet:
                warehouse.Execute($"COPY ({source}) TO {AthenaFunctions.Literal(full)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (event_date), OVERWRITE_OR_IGNORE true)");
                break;
            case ExportFormat.Jsonl:
                warehouse.Execute($"COPY ({source}) TO {AthenaFunctions.Literal(Path.Combine(full, "access_logs.jsonl"))} (FORMAT json)");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }

        var files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories).Count();
        return new ExportResult(full, rows, files);
    }
}
