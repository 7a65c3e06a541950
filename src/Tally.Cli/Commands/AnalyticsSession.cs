using DuckDB.NET.Data;
using Tally.Analytics.Ingest;
using Tally.Analytics.Warehouse;
using Tally.Cli.Output;

namespace Tally.Cli.Commands;

/// <summary>
/// Opens the warehouse an analytics command works on: the data directory's warehouse, or, with
/// <c>--source</c>, a scratch warehouse loaded from that source first (progress and summary on stderr).
/// </summary>
internal static class AnalyticsSession
{
    public static async Task<LogWarehouse?> OpenAsync(string dataDir, string? source, string? endpoint, string memoryLimit, CancellationToken cancellationToken)
    {
        var options = new WarehouseOptions { MemoryLimit = memoryLimit };
        if (source is null)
        {
            var path = LogWarehouse.PathFor(dataDir);
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"error: no warehouse at {Path.GetFullPath(path)}; run `tally logs ingest --source PATH --data {dataDir}` first, or pass --source.");
                return null;
            }

            try
            {
                return LogWarehouse.Open(path, options);
            }
            catch (WarehouseBusyException e)
            {
                // The server holds the file while it loads delivered logs; say so instead of a stack trace.
                await Console.Error.WriteLineAsync("error: " + e.Message);
                return null;
            }
        }

        var warehouse = LogWarehouse.OpenTemporary(options);
        try
        {
            var summary = await IngestAsync(warehouse, source, endpoint, cancellationToken);
            if (summary is null)
            {
                warehouse.Dispose();
                return null;
            }

            return warehouse;
        }
        catch
        {
            warehouse.Dispose();
            throw;
        }
    }

    /// <summary>Loads <paramref name="source"/> into <paramref name="warehouse"/>; null (message printed) when the source cannot be read.</summary>
    public static async Task<IngestSummary?> IngestAsync(LogWarehouse warehouse, string source, string? endpoint, CancellationToken cancellationToken)
    {
        IReadOnlyList<LogObject> objects;
        try
        {
            objects = await LogSources.ListAsync(source, endpoint, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            await Console.Error.WriteLineAsync($"error: cannot read {source}: {e.Message}");
            return null;
        }

        var total = objects.Sum(o => o.Size);
        var summary = await IngestProgressBar.RunAsync(total, progress => new LogIngestor(warehouse).IngestAsync(objects, progress, cancellationToken));
        foreach (var failure in summary.Failures)
        {
            await Console.Error.WriteLineAsync($"error: {failure.File}: {failure.Reason}");
        }

        await Console.Error.WriteLineAsync(summary.ToString());
        return summary;
    }

    /// <summary>DuckDB's own message for a failed statement, for the user.</summary>
    public static string Describe(DuckDBException e) => e.Message.Trim();
}
