using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
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
/// <para>Workers (one per core) each read and parse log objects with the shared
/// <see cref="AccessLogParser"/> and write the rows, already split into typed columns, to staging
/// files (<see cref="StagingWriter"/>). DuckDB then loads each segment with one
/// <c>INSERT … SELECT FROM read_csv(…)</c>, in bulk and on its own threads, while the workers go on
/// parsing; row-by-row appending was the bottleneck (bench/analytics/README.md).</para>
/// <para>Each worker hands its rows over in segments of about <see cref="IngestOptions.SegmentBytes"/>
/// of log objects; a segment only ever holds whole objects, as an object that fails while staged is
/// cut out again, so it fails alone. A commit group is one transaction over several segments (about
/// <see cref="IngestOptions.BatchBytes"/> or <see cref="IngestOptions.BatchFiles"/> objects): its rows,
/// rejected lines and <c>loaded_files</c> entries commit together or not at all.</para>
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
        var workers = Math.Max(1, _options.Workers ?? Environment.ProcessorCount);
        var staging = Directory.CreateDirectory(Path.Combine(StagingRoot(), $"tally-ingest-{Guid.NewGuid():N}"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = Channel.CreateBounded<LogObject>(new BoundedChannelOptions(workers) { SingleWriter = true });
        var staged = Channel.CreateBounded<StagingSegment>(new BoundedChannelOptions(workers) { SingleReader = true });
        var segmentIds = 0;
        var producer = Task.Run(() => ProduceAsync(objects, loaded, pending.Writer, totals, stop.Token), CancellationToken.None);
        var stagers = Enumerable.Range(0, workers)
            .Select(_ => Task.Run(() => StageAsync(pending.Reader, staged.Writer, () => new StagingSegment(staging.FullName, Interlocked.Increment(ref segmentIds)), totals, stop.Token), CancellationToken.None))
            .ToArray();
        var stagingDone = CompleteWhenAllAsync(stagers, staged.Writer);
        try
        {
            using var group = new CommitGroup(this, warehouse, totals);
            await foreach (var segment in staged.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                group.Add(segment);
                if (group.Bytes >= _options.BatchBytes || group.Files >= _options.BatchFiles)
                {
                    group.Commit();
                }
            }

            group.Commit();
            await producer.ConfigureAwait(false);
            await stagingDone.ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            await DrainAsync(producer, stagingDone, staged.Reader).ConfigureAwait(false);
            DeleteStaging(staging);
        }

        warehouse.RefreshBucketViews();
        return new IngestSummary(
            totals.FilesLoaded, totals.FilesSkipped, totals.Failures, totals.LinesRead, totals.LinesLoaded, totals.LinesRejected,
            Stopwatch.GetElapsedTime(started));
    }

    // Next to a warehouse file by default: the temp directory may be a RAM disk, and the staged rows
    // are as large as the logs.
    private string StagingRoot() =>
        _options.StagingDirectory ?? (warehouse.Path is { } path ? Path.GetDirectoryName(path)! : Path.GetTempPath());

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

    private static async Task ProduceAsync(IEnumerable<LogObject> objects, HashSet<(string, long, string)> loaded, ChannelWriter<LogObject> pending, Totals totals, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var logObject in objects)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!loaded.Add((logObject.Name, logObject.Size, logObject.Version)))
                {
                    totals.Skipped();
                    continue;
                }

                await pending.WriteAsync(logObject, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            pending.TryComplete();
        }
    }

    private static async Task CompleteWhenAllAsync(Task[] stagers, ChannelWriter<StagingSegment> staged)
    {
        try
        {
            await Task.WhenAll(stagers).ConfigureAwait(false);
            staged.TryComplete();
        }
        catch (Exception e)
        {
            staged.TryComplete(e);
            throw;
        }
    }

    /// <summary>One worker: stages objects into its current segment and hands full segments to the loader.</summary>
    private async Task StageAsync(ChannelReader<LogObject> pending, ChannelWriter<StagingSegment> staged, Func<StagingSegment> newSegment, Totals totals, CancellationToken cancellationToken)
    {
        var rowWriter = new AccessLogRowWriter();
        StagingSegment? segment = null;
        try
        {
            await foreach (var logObject in pending.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                segment ??= newSegment();
                var mark = segment.Mark();
                var progress = new ObjectProgress(totals, logObject);
                try
                {
                    segment.Add(await StageObjectAsync(logObject, segment, rowWriter, progress, cancellationToken).ConfigureAwait(false));
                    progress.Done();
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    segment.Rollback(mark);
                    progress.Failed(e.Message);
                }

                if (segment.Objects.Count >= _options.BatchFiles || segment.InputBytes >= Math.Min(_options.SegmentBytes, _options.BatchBytes))
                {
                    var full = segment;
                    segment = null;
                    await HandOverAsync(full, staged, cancellationToken).ConfigureAwait(false);
                }
            }

            if (segment is { Objects.Count: > 0 })
            {
                var last = segment;
                segment = null;
                await HandOverAsync(last, staged, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            segment?.Dispose();
        }
    }

    private static async Task HandOverAsync(StagingSegment segment, ChannelWriter<StagingSegment> staged, CancellationToken cancellationToken)
    {
        try
        {
            segment.Close();
            await staged.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            segment.Dispose();
            throw;
        }
    }

    private async Task<StagedObject> StageObjectAsync(LogObject logObject, StagingSegment segment, AccessLogRowWriter rowWriter, ObjectProgress progress, CancellationToken cancellationToken)
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
                AccessLogRowWriter.AppendRejected(segment.Rejects, logObject.Name, lineNumber, $"line longer than {_options.MaxLineBytes} bytes", line);
                rejected++;
            }
            else if (AccessLogParser.TryParseLine(line, out var parsed, out var error))
            {
                rowWriter.Append(segment.Rows, parsed, logObject.Name, lineNumber, reader.AsciiLine);
                loadedLines++;
            }
            else
            {
                AccessLogRowWriter.AppendRejected(segment.Rejects, logObject.Name, lineNumber, line.Length == 0 ? "empty line" : error, line);
                rejected++;
            }

            if (lineNumber % ProgressEveryLines == 0)
            {
                progress.Report(content.RawBytesRead, lineNumber);
            }
        }

        content.VerifyComplete();
        progress.Report(logObject.Size, lineNumber);
        return new StagedObject(logObject, lineNumber, loadedLines, rejected);
    }

    private string InsertFromStaging(string table, IReadOnlyList<WarehouseColumn> columns, IReadOnlyList<string> paths)
    {
        var names = string.Join(", ", columns.Select(c => WarehouseSchema.Quote(c.Name)));
        var types = string.Join(", ", columns.Select(c => $"{AthenaFunctions.Literal(c.Name)}: {AthenaFunctions.Literal(c.Type)}"));
        var files = string.Join(", ", paths.Select(AthenaFunctions.Literal));

        // A staged row holds a line up to MaxLineBytes several times over (raw fields, decoded
        // key, header values), each character up to 3 bytes of UTF-8.
        var maxRowBytes = Math.Max(4L * 1024 * 1024, 16L * _options.MaxLineBytes);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"INSERT INTO {table} ({names}) SELECT {names} FROM read_csv([{files}], {StagingWriter.ReadCsvOptions}, max_line_size = {maxRowBytes}, columns = {{{types}}})");
    }

    private void RecordLoaded(IReadOnlyList<StagedObject> objects)
    {
        var now = _options.Time.GetUtcNow().UtcDateTime;
        using var appender = warehouse.Connection.CreateAppender("loaded_files");
        foreach (var c in objects)
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
    }

    /// <summary>After a failure: waits for the producer and workers to stop and drops staged segments not loaded.</summary>
    private static async Task DrainAsync(Task producer, Task stagingDone, ChannelReader<StagingSegment> staged)
    {
        try
        {
            await Task.WhenAll(producer, stagingDone).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already observed by the caller, or a consequence of the cancellation that stopped them.
        }

        while (staged.TryRead(out var leftover))
        {
            leftover.Dispose();
        }
    }

    private static void DeleteStaging(DirectoryInfo staging)
    {
        try
        {
            staging.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A staging directory left in the temp directory is harmless.
        }
    }

    /// <summary>
    /// Closed segments waiting to be loaded. <see cref="Commit"/> loads them all in one transaction
    /// with one statement per table, so DuckDB reads the staging files in parallel and appends one
    /// large batch (many small appends cost more than twice as much), and the warehouse is locked only
    /// while it does.
    /// </summary>
    private sealed class CommitGroup(LogIngestor ingestor, LogWarehouse warehouse, Totals totals) : IDisposable
    {
        private readonly List<StagingSegment> _segments = [];

        public long Bytes { get; private set; }

        public int Files { get; private set; }

        public void Add(StagingSegment segment)
        {
            _segments.Add(segment);
            Bytes += segment.InputBytes;
            Files += segment.Objects.Count;
        }

        public void Commit()
        {
            if (_segments.Count == 0)
            {
                return;
            }

            var objects = _segments.SelectMany(s => s.Objects).ToList();
            var loadLimit = warehouse.LoadMemoryLimit();
            if (loadLimit is not null)
            {
                warehouse.Execute($"SET memory_limit = {AthenaFunctions.Literal(loadLimit)}");
            }

            warehouse.Execute("BEGIN TRANSACTION");
            try
            {
                Insert(WarehouseSchema.AccessLogsTable, WarehouseSchema.StoredAccessLogColumns, [.. _segments.Where(s => s.RowCount > 0).Select(s => s.Rows.Path)], _segments.Sum(s => s.RowCount));
                Insert("rejected_lines", WarehouseSchema.RejectedLineColumns, [.. _segments.Where(s => s.RejectCount > 0).Select(s => s.Rejects.Path)], _segments.Sum(s => s.RejectCount));
                ingestor.RecordLoaded(objects);
                warehouse.Execute("COMMIT");
            }
            catch
            {
                try
                {
                    warehouse.Execute("ROLLBACK");
                }
                catch (DuckDB.NET.Data.DuckDBException)
                {
                    // A failed COMMIT has already ended the transaction; the original error is what matters.
                }

                throw;
            }
            finally
            {
                if (loadLimit is not null)
                {
                    warehouse.Execute($"SET memory_limit = {AthenaFunctions.Literal(warehouse.Options.MemoryLimit)}");
                }
            }

            totals.Commit(objects);
            Dispose();
        }

        /// <summary>Deletes the staging files of segments not loaded (or just loaded).</summary>
        public void Dispose()
        {
            foreach (var segment in _segments)
            {
                segment.Dispose();
            }

            _segments.Clear();
            Bytes = 0;
            Files = 0;
        }

        private void Insert(string table, IReadOnlyList<WarehouseColumn> columns, IReadOnlyList<string> paths, long expected)
        {
            if (paths.Count == 0)
            {
                return;
            }

            var inserted = warehouse.Execute(ingestor.InsertFromStaging(table, columns, paths));
            if (inserted != expected)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture, $"the staging files of {table} loaded {inserted} rows, expected {expected}; nothing of this group was committed"));
            }
        }
    }

    /// <summary>The progress of one object in flight; its lines count as read until it fails.</summary>
    private sealed class ObjectProgress(Totals totals, LogObject logObject)
    {
        private long _bytes;
        private long _lines;

        public void Report(long bytes, long lines)
        {
            totals.Advance(bytes - _bytes, lines - _lines, 0, logObject.Name);
            _bytes = bytes;
            _lines = lines;
        }

        public void Done() => totals.Advance(0, 0, 1, logObject.Name);

        public void Failed(string reason) => totals.Fail(new IngestFailure(logObject.Name, reason), _bytes, _lines);
    }

    /// <summary>Counters of committed work plus the live progress of everything staged or in flight. Thread-safe.</summary>
    private sealed class Totals(IProgress<IngestProgress>? progress)
    {
        private readonly Lock _lock = new();
        private readonly List<IngestFailure> _failures = [];
        private long _bytesDone;
        private long _linesDone;
        private int _filesDone;

        public int FilesLoaded { get; private set; }

        public int FilesSkipped { get; private set; }

        public IReadOnlyList<IngestFailure> Failures
        {
            get
            {
                lock (_lock)
                {
                    return [.. _failures];
                }
            }
        }

        public long LinesRead { get; private set; }

        public long LinesLoaded { get; private set; }

        public long LinesRejected { get; private set; }

        public void Skipped()
        {
            lock (_lock)
            {
                FilesSkipped++;
            }
        }

        public void Advance(long bytes, long lines, int files, string current)
        {
            IngestProgress report;
            lock (_lock)
            {
                _bytesDone += bytes;
                _linesDone += lines;
                _filesDone += files;
                report = new IngestProgress(_filesDone, _bytesDone, _linesDone, current);
            }

            progress?.Report(report);
        }

        public void Fail(IngestFailure failure, long bytes, long lines)
        {
            lock (_lock)
            {
                _failures.Add(failure);
                _bytesDone -= bytes;
                _linesDone -= lines;
            }
        }

        public void Commit(IReadOnlyList<StagedObject> objects)
        {
            lock (_lock)
            {
                foreach (var c in objects)
                {
                    FilesLoaded++;
                    LinesRead += c.LinesRead;
                    LinesLoaded += c.LinesLoaded;
                    LinesRejected += c.LinesRejected;
                }
            }
        }
    }
}
