using System.Diagnostics;
using DuckDB.NET.Data;
using Tally.AccessLogs.Records;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Ingest;

/// <summary>
/// Loads log objects into a <see cref="LogWarehouse"/>: incremental and idempotent (an object in
/// <c>loaded_files</c> is skipped), streaming (memory does not grow with the input), and atomic per
/// object (an object that fails half-way, such as a truncated gzip, leaves nothing behind and is
/// loaded whole on a later run).
/// </summary>
/// <remarks>
/// Objects are committed in groups, so a directory of many tiny files is not one commit each. When
/// one object of a group fails, the group is rolled back and loaded again without it.
/// </remarks>
public sealed class LogIngestor(LogWarehouse warehouse, IngestOptions? options = null)
{
    internal const int ProgressEveryLines = 16 * 1024;
    private readonly IngestOptions _options = options ?? new IngestOptions();

    public async Task<IngestSummary> IngestAsync(IEnumerable<LogObject> objects, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var started = Stopwatch.GetTimestamp();
        var loaded = LoadedIdentities();
        var totals = new Totals(progress);
        var batch = new List<LogObject>();
        long batchBytes = 0;
        foreach (var logObject in objects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!loaded.Add((logObject.Name, logObject.Size, logObject.Version)))
            {
                totals.FilesSkipped++;
                continue;
            }

            batch.Add(logObject);
            batchBytes += logObject.Size;
            if (batch.Count >= _options.BatchFiles || batchBytes >= _options.BatchBytes)
            {
                await LoadBatchAsync(batch, totals, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                batchBytes = 0;
            }
        }

        if (batch.Count > 0)
        {
            await LoadBatchAsync(batch, totals, cancellationToken).ConfigureAwait(false);
        }

        warehouse.RefreshBucketViews();
        return new IngestSummary(
            totals.FilesLoaded, totals.FilesSkipped, totals.Failures, totals.LinesRead, totals.LinesLoaded, totals.LinesRejected,
            Stopwatch.GetElapsedTime(started));
    }

    private HashSet<(string, long, string)> LoadedIdentities()
    {
        var set = new HashSet<(string, long, string)>();
        using var command = warehouse.CreateCommand("SELECT file, size, version FROM loaded_files");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            set.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        }

        return set;
    }

    private async Task LoadBatchAsync(List<LogObject> batch, Totals totals, CancellationToken cancellationToken)
    {
        // Each pass either commits every object left in the batch or drops one failed object, so
        // this ends after at most batch.Count + 1 passes.
        var remaining = new List<LogObject>(batch);
        while (remaining.Count > 0)
        {
            var counts = new List<FileCounts>(remaining.Count);
            LogObject? failed = null;
            string? reason = null;
            warehouse.Execute("BEGIN TRANSACTION");
            try
            {
                using (var rows = warehouse.Connection.CreateAppender(WarehouseSchema.AccessLogsTable))
                using (var rejects = warehouse.Connection.CreateAppender("rejected_lines"))
                {
                    foreach (var logObject in remaining)
                    {
                        try
                        {
                            counts.Add(await LoadObjectAsync(logObject, rows, rejects, totals, cancellationToken).ConfigureAwait(false));
                        }
                        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                        {
                            failed = logObject;
                            reason = e.Message;
                            break;
                        }
                    }
                }

                if (failed is null)
                {
                    RecordLoaded(remaining, counts);
                    warehouse.Execute("COMMIT");
                    totals.Commit(counts);
                    return;
                }
            }
            catch
            {
                warehouse.Execute("ROLLBACK");
                throw;
            }

            warehouse.Execute("ROLLBACK");
            totals.Discard();
            totals.Failures.Add(new IngestFailure(failed.Name, reason!));
            remaining.Remove(failed);
        }
    }

    private async Task<FileCounts> LoadObjectAsync(LogObject logObject, DuckDBAppender rows, DuckDBAppender rejects, Totals totals, CancellationToken cancellationToken)
    {
        var stream = await logObject.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var content = await LogObjectContent.OpenAsync(stream, cancellationToken).ConfigureAwait(false);
        var reader = new LogLineReader(content.Stream, _options.MaxLineBytes);
        long lineNumber = 0, loadedLines = 0, rejected = 0;
        while (true)
        {
            var (found, line, tooLong) = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (!found)
            {
                break;
            }

            lineNumber++;
            if (tooLong)
            {
                AccessLogRowWriter.AppendRejected(rejects, logObject.Name, lineNumber, $"line longer than {_options.MaxLineBytes} bytes", line);
                rejected++;
            }
            else if (AccessLogParser.TryParseLine(line, out var parsed, out var error))
            {
                AccessLogRowWriter.Append(rows, parsed, logObject.Name, lineNumber);
                loadedLines++;
            }
            else
            {
                AccessLogRowWriter.AppendRejected(rejects, logObject.Name, lineNumber, line.Length == 0 ? "empty line" : error, line);
                rejected++;
            }

            if (lineNumber % ProgressEveryLines == 0)
            {
                totals.Report(content.RawBytesRead, lineNumber, logObject.Name);
            }
        }

        content.VerifyComplete();
        var counts = new FileCounts(logObject, lineNumber, loadedLines, rejected);
        totals.FileDone(logObject.Size, lineNumber);
        return counts;
    }

    private void RecordLoaded(List<LogObject> objects, List<FileCounts> counts)
    {
        var now = _options.Time.GetUtcNow().UtcDateTime;
        using var appender = warehouse.Connection.CreateAppender("loaded_files");
        foreach (var c in counts)
        {
            appender.CreateRow()
                .AppendValue(c.Object.Name)
                .AppendValue((long?)c.Object.Size)
                .AppendValue(c.Object.Version)
                .AppendValue((DateTime?)now)
                .AppendValue((long?)c.LinesRead)
                .AppendValue((long?)c.LinesLoaded)
                .AppendValue((long?)c.LinesRejected)
                .EndRow();
        }

        Debug.Assert(objects.Count == counts.Count, "every object of a committed batch has its counts");
    }

    private sealed record FileCounts(LogObject Object, long LinesRead, long LinesLoaded, long LinesRejected);

    /// <summary>Counters of committed work plus the live progress of the batch in flight.</summary>
    private sealed class Totals(IProgress<IngestProgress>? progress)
    {
        private long _pendingBytes;
        private long _pendingLines;
        private int _pendingFiles;

        public int FilesLoaded { get; private set; }

        public int FilesSkipped { get; set; }

        public List<IngestFailure> Failures { get; } = [];

        public long LinesRead { get; private set; }

        public long LinesLoaded { get; private set; }

        public long LinesRejected { get; private set; }

        public void Report(long bytesOfCurrent, long linesOfCurrent, string current) =>
            progress?.Report(new IngestProgress(FilesLoaded + _pendingFiles, DoneBytes + _pendingBytes + bytesOfCurrent, LinesRead + _pendingLines + linesOfCurrent, current));

        public void FileDone(long size, long lines)
        {
            _pendingFiles++;
            _pendingBytes += size;
            _pendingLines += lines;
            Report(0, 0, string.Empty);
        }

        private long DoneBytes { get; set; }

        /// <summary>The batch in flight was rolled back; its objects will be read again.</summary>
        public void Discard() => _pendingBytes = _pendingLines = _pendingFiles = 0;

        public void Commit(List<FileCounts> counts)
        {
            foreach (var c in counts)
            {
                FilesLoaded++;
                DoneBytes += c.Object.Size;
                LinesRead += c.LinesRead;
                LinesLoaded += c.LinesLoaded;
                LinesRejected += c.LinesRejected;
            }

            _pendingBytes = _pendingLines = _pendingFiles = 0;
        }
    }
}
