using Tally.Analytics.Warehouse;
using Tally.Core.Errors;
using Tally.Storage;

namespace Tally.Analytics.Ingest;

/// <summary>Where a source bucket's logs are delivered: a target bucket and key prefix on the same store.</summary>
public sealed record LogTarget(string Bucket, string Prefix);

/// <summary>
/// Loads the log objects the server delivered into the data directory's warehouse, reading them
/// through <see cref="IObjectStore"/>. One <see cref="RunAsync"/> is one pass: list the targets,
/// and only when something is new open the warehouse (waiting for nobody: a pass that finds the
/// file in use throws <see cref="WarehouseBusyException"/> and the caller tries again later), load,
/// and close it, so <c>tally query</c> can open the file between passes.
/// </summary>
/// <remarks>Not thread-safe: one pass at a time.</remarks>
public sealed class DeliveredLogIngest(IObjectStore store, string warehousePath, WarehouseOptions warehouseOptions, IngestOptions ingestOptions)
{
    // Identities known to be in loaded_files: a pass that lists nothing else does not open the
    // warehouse at all. Filled from the warehouse on the first pass that opens it.
    private readonly HashSet<(string, long, string)> _loaded = [];
    private bool _knowsWarehouse;

    public async Task<IngestSummary> RunAsync(IEnumerable<LogTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var listed = new List<LogObject>();
        var failures = new List<IngestFailure>();
        foreach (var target in targets.Distinct())
        {
            try
            {
                listed.AddRange(await ObjectStoreLogSource.ListAsync(store, target.Bucket, target.Prefix, cancellationToken).ConfigureAwait(false));
            }
            catch (S3Exception e)
            {
                // A target bucket deleted after logging was configured: its logs cannot be read.
                failures.Add(new IngestFailure($"s3://{target.Bucket}/{target.Prefix}", $"{e.Error.Code}: {e.Message}"));
            }
        }

        var fresh = listed.Where(o => !_loaded.Contains((o.Name, o.Size, o.Version))).ToList();
        if (_knowsWarehouse && fresh.Count == 0)
        {
            return new IngestSummary(0, listed.Count, failures, 0, 0, 0, TimeSpan.Zero);
        }

        using var warehouse = LogWarehouse.Open(warehousePath, warehouseOptions);
        if (!_knowsWarehouse)
        {
            using var command = warehouse.CreateCommand("SELECT file, size, version FROM loaded_files WHERE file LIKE 's3://%'");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                _loaded.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
            }

            _knowsWarehouse = true;
        }

        var summary = await new LogIngestor(warehouse, ingestOptions).IngestAsync(fresh, progress: null, cancellationToken).ConfigureAwait(false);
        var failed = summary.Failures.Select(f => f.File).ToHashSet(StringComparer.Ordinal);
        foreach (var logObject in fresh.Where(o => !failed.Contains(o.Name)))
        {
            _loaded.Add((logObject.Name, logObject.Size, logObject.Version));
        }

        return summary with { FilesSkipped = summary.FilesSkipped + (listed.Count - fresh.Count), Failures = [.. failures, .. summary.Failures] };
    }
}
