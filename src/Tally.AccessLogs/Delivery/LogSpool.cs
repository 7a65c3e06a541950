using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Records;
using Tally.Storage.Disk;

namespace Tally.AccessLogs.Delivery;

/// <summary>
/// The durable journal between the request path and delivery (DESIGN §3). <see cref="Write"/>
/// only enqueues (bounded; never blocks, never throws); one writer task formats records into
/// per-source-bucket segment files under the spool directory, fsyncs them in group commits at most
/// <see cref="SpoolOptions.CommitWindow"/> apart, and seals segments by age, size, UTC day
/// (PartitionedPrefix EventTime) or on demand. Sealed segments wait on disk until
/// <see cref="LogDeliveryWorker"/> has put them into their target bucket. On open, segments left by
/// a crash or a shutdown are repaired (torn last line cut) and sealed for delivery.
/// </summary>
public sealed partial class LogSpool : IAccessLogSink, IAsyncDisposable
{
    private static readonly int MaxBatch = 8192;
    private static readonly int TailBuffer = 10_000;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly SpoolOptions _options;
    private readonly LoggingRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<SpoolItem> _queue = Channel.CreateUnbounded<SpoolItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<bool> _sealedSignal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<string, BucketLogState> _states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SealedSegment> _sealed = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Bucket, DateOnly? Day), SpoolSegment> _open = [];
    private readonly HashSet<SpoolSegment> _dirty = [];
    private readonly List<SpoolSegment> _toSeal = [];
    private readonly Lock _tailLock = new();
    private readonly Dictionary<string, List<Channel<string>>> _tails = new(StringComparer.Ordinal);
    private readonly Lock _errorLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writer;
    private int _queued;
    private int _disposed;
    private int _segmentSequence;
    private int _tailCount;
    private long _dropped;
    private long _lastDropWarning;
    private string? _spoolError;
    private DateTimeOffset? _spoolErrorAt;

    private LogSpool(SpoolOptions options, LoggingRegistry registry, TimeProvider time, ILogger logger)
    {
        _options = options;
        _registry = registry;
        _time = time;
        _logger = logger;
        Directory.CreateDirectory(options.Directory);
        Recover();
        _writer = Task.Run(RunWriterAsync);
    }

    public SpoolOptions Options => _options;

    /// <summary>Opens the spool directory, recovers what a previous run left and starts the writer.</summary>
    public static LogSpool Open(SpoolOptions options, LoggingRegistry registry, TimeProvider time, ILogger<LogSpool> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.FieldCount, 26);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.FieldCount, AccessLogFields.Current);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RollBytes, 1);
        return new LogSpool(options, registry, time, logger);
    }

    public bool IsLogged(string bucket) => _registry.IsLogged(bucket);

    /// <summary>Accepts a record for its bucket's log when that bucket logs; drops (and counts) it when the queue is full.</summary>
    public void Write(AccessLogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Bucket is null || _registry.Get(record.Bucket) is not { } active)
        {
            return;
        }

        var state = State(record.Bucket);
        if (Interlocked.Increment(ref _queued) > _options.QueueCapacity)
        {
            Interlocked.Decrement(ref _queued);
            Drop(state);
            return;
        }

        state.Enqueued();
        if (!_queue.Writer.TryWrite(new SpoolItem(record, active, null)))
        {
            // The spool is shutting down.
            Interlocked.Decrement(ref _queued);
            state.Dequeued();
            Drop(state);
        }
    }

    /// <summary>
    /// Commits everything queued so far and seals the open segments of <paramref name="bucket"/>
    /// (all buckets when null); returns every sealed segment of it that awaits delivery.
    /// </summary>
    public async Task<IReadOnlyList<SealedSegment>> SealAsync(string? bucket, CancellationToken ct)
    {
        var command = new SealCommand(bucket, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(new SpoolItem(null, null, command)), this);

        await command.Done.Task.WaitAsync(ct);
        return Sealed(bucket);
    }

    /// <summary>Sealed segments awaiting delivery, oldest first.</summary>
    public IReadOnlyList<SealedSegment> Sealed(string? bucket = null) =>
        [.. _sealed.Values
            .Where(s => bucket is null || string.Equals(s.SourceBucket, bucket, StringComparison.Ordinal))
            .OrderBy(s => s.Metadata.OpenedAt)
            .ThenBy(s => s.Metadata.SegmentId, StringComparer.Ordinal)];

    /// <summary>Whether a sealed segment still awaits delivery.</summary>
    public bool IsPending(SealedSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return _sealed.ContainsKey(segment.Metadata.SegmentId);
    }

    /// <summary>Waits until a segment is sealed (or <paramref name="ct"/> fires).</summary>
    public async Task WaitForSealedAsync(CancellationToken ct)
    {
        if (await _sealedSignal.Reader.WaitToReadAsync(ct))
        {
            _sealedSignal.Reader.TryRead(out _);
        }
    }

    /// <summary>Forgets a segment that was delivered: data file first, then the sidecar (see <see cref="Recover"/>).</summary>
    public void Release(SealedSegment segment, DateTimeOffset deliveredAt)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (!_sealed.TryRemove(segment.Metadata.SegmentId, out _))
        {
            return;
        }

        DurableFiles.TryDelete(segment.DataPath);
        DurableFiles.TryDelete(segment.MetadataPath);
        State(segment.SourceBucket).DeliveredSegment(segment.Records, segment.Key, deliveredAt);
    }

    /// <summary>Records a failed delivery for the status and schedules a retry with backoff.</summary>
    public void Failed(string sourceBucket, string error) => State(sourceBucket).Failed(error, _time.GetUtcNow());

    /// <summary>Whether delivery of <paramref name="sourceBucket"/>'s segments is due (not backing off).</summary>
    public bool IsDue(string sourceBucket) => State(sourceBucket).IsDue(_time.GetUtcNow());

    public SpoolStatus Status()
    {
        var buckets = new SortedSet<string>(_states.Keys, StringComparer.Ordinal);
        foreach (var active in _registry.All)
        {
            buckets.Add(active.SourceBucket);
        }

        var sealedCounts = _sealed.Values.GroupBy(s => s.SourceBucket, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var list = new List<BucketDeliveryStatus>();
        foreach (var bucket in buckets)
        {
            var state = State(bucket);
            var configuration = _registry.Get(bucket)?.Configuration;
            list.Add(new BucketDeliveryStatus(
                bucket,
                configuration is not null,
                configuration?.TargetBucket,
                configuration?.TargetPrefix,
                state.Queued + state.Spooled,
                sealedCounts.GetValueOrDefault(bucket),
                state.Delivered,
                state.Dropped,
                state.LastDeliveryAt,
                state.LastDeliveredKey,
                state.LastError,
                state.LastErrorAt,
                state.NextAttemptAt));
        }

        lock (_errorLock)
        {
            return new SpoolStatus(Volatile.Read(ref _queued), _options.QueueCapacity, Interlocked.Read(ref _dropped), _spoolError, _spoolErrorAt, list);
        }
    }

    /// <summary>
    /// Lines of <paramref name="bucket"/>'s log as the spool writes them, until <paramref name="ct"/>
    /// fires. A slow reader loses the oldest lines, never slows the spool.
    /// </summary>
    public ChannelReader<string> Tail(string bucket, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(TailBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_tailLock)
        {
            if (!_tails.TryGetValue(bucket, out var list))
            {
                _tails[bucket] = list = [];
            }

            list.Add(channel);
            _tailCount++;
        }

        ct.Register(() =>
        {
            lock (_tailLock)
            {
                if (_tails.TryGetValue(bucket, out var list) && list.Remove(channel))
                {
                    _tailCount--;
                    if (list.Count == 0)
                    {
                        _tails.Remove(bucket);
                    }
                }
            }

            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    /// <summary>Writes and fsyncs everything queued; open segments stay on disk and are sealed on the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _writer;
        _stopping.Dispose();
        foreach (var segment in _open.Values.Concat(_toSeal))
        {
            segment.Dispose();
        }

        lock (_tailLock)
        {
            foreach (var channel in _tails.Values.SelectMany(l => l))
            {
                channel.Writer.TryComplete();
            }
        }
    }

    private BucketLogState State(string bucket) => _states.GetOrAdd(bucket, static b => new BucketLogState(b));

    private void Drop(BucketLogState state)
    {
        state.DroppedOne();
        var dropped = Interlocked.Increment(ref _dropped);
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastDropWarning);
        if ((last == 0 || _time.GetElapsedTime(last, now) >= WarningInterval) && Interlocked.CompareExchange(ref _lastDropWarning, now, last) == last)
        {
            LogDropped(_logger, dropped, _options.QueueCapacity);
        }
    }

    private async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        var line = new ArrayBufferWriter<byte>(1024);
        var commands = new List<SealCommand>();
        while (true)
        {
            // A failed commit (full disk, I/O error) is retried before anything new is taken, so the
            // queue, not memory, absorbs the backlog (and drops, loudly, when it is full).
            if (_dirty.Count > 0 && !TryCommit())
            {
                if (!await PauseAsync(RetryDelay))
                {
                    break;
                }

                continue;
            }

            if (!await WaitForWorkAsync(reader))
            {
                break;
            }

            var roundStart = _time.GetTimestamp();
            var taken = 0;
            while (taken < MaxBatch && reader.TryRead(out var item))
            {
                taken++;
                if (item.Command is { } command)
                {
                    // Commands are answered after this round's commit, so they see every record before them.
                    commands.Add(command);
                    break;
                }

                Append(item.Record!, item.Active!, line);
                if (_options.CommitWindow <= TimeSpan.Zero)
                {
                    TryCommit();
                }
            }

            var committed = TryCommit();
            SealDueByAge();
            committed = committed && TryCommit();
            foreach (var command in commands)
            {
                if (committed)
                {
                    SealOpen(command.Bucket);
                    committed = TryCommit();
                }

                if (committed)
                {
                    command.Done.TrySetResult();
                }
                else
                {
                    command.Done.TrySetException(new IOException("The log spool cannot write: " + SpoolErrorText()));
                }
            }

            commands.Clear();
            // The window bounds the fsync rate when records trickle in; a backlog (a full batch) is
            // taken at once, so the window never caps throughput.
            if (taken is > 0 && taken < MaxBatch && _options.CommitWindow > TimeSpan.Zero)
            {
                var elapsed = _time.GetElapsedTime(roundStart);
                if (elapsed < _options.CommitWindow)
                {
                    // Shutdown cuts the window short; the loop then drains what is left.
                    await PauseAsync(_options.CommitWindow - elapsed);
                }
            }
        }

        // Shutdown: everything accepted is made durable (bounded retries: a dead disk must not hang it).
        while (_queue.Reader.TryRead(out var item))
        {
            if (item.Record is not null)
            {
                Append(item.Record, item.Active!, line);
            }
            else
            {
                item.Command!.Done.TrySetException(new ObjectDisposedException(nameof(LogSpool)));
            }
        }

        for (var attempt = 0; attempt < 3 && _dirty.Count > 0 && !TryCommit(); attempt++)
        {
            await Task.Delay(RetryDelay, TimeProvider.System);
        }
    }

    /// <summary>Waits on the spool's clock; false when the spool is stopping.</summary>
    private async Task<bool> PauseAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _stopping.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True when there is work (or an age roll is due); false once the queue is completed and drained.</summary>
    private async Task<bool> WaitForWorkAsync(ChannelReader<SpoolItem> reader)
    {
        var deadline = NextAgeDeadline();
        if (deadline is null)
        {
            return await reader.WaitToReadAsync();
        }

        var delay = deadline.Value - _time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        using var timeout = new CancellationTokenSource(delay, _time);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return true;
        }
    }

    private DateTimeOffset? NextAgeDeadline()
    {
        DateTimeOffset? next = null;
        foreach (var segment in _open.Values)
        {
            var due = segment.Metadata.OpenedAt + _options.RollAge;
            if (next is null || due < next)
            {
                next = due;
            }
        }

        return next;
    }

    private void Append(AccessLogRecord record, ActiveLogging active, ArrayBufferWriter<byte> line)
    {
        var bucket = active.SourceBucket;
        var state = State(bucket);
        Interlocked.Decrement(ref _queued);
        state.Dequeued();

        line.ResetWrittenCount();
        AccessLogFormatter.Format(record, line, _options.FieldCount);
        line.Write("\n"u8);

        // spec §3.1: with PartitionedPrefix + EventTime an object holds one UTC day only.
        DateOnly? day = active.Configuration.EffectiveKeyFormat.OneDayPerObject ? DateOnly.FromDateTime(record.Time.UtcDateTime) : null;
        var key = (bucket, day);
        if (_open.TryGetValue(key, out var segment)
            && (!SameDestination(segment, active) || (segment.Length > 0 && segment.Length + line.WrittenCount > _options.RollBytes)))
        {
            // A configuration change or a full segment: the old one is sealed after this round's commit.
            _open.Remove(key);
            _toSeal.Add(segment);
            segment = null;
        }

        if (segment is null)
        {
            var opened = _time.GetUtcNow();
            // Time and sequence order the segments; the random part keeps ids unique across restarts.
            var id = string.Create(CultureInfo.InvariantCulture, $"{opened.UtcDateTime:yyyyMMdd'T'HHmmssfff}-{++_segmentSequence:D6}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}");
            segment = new SpoolSegment(SegmentMetadata.Open(id, active, day, opened), Path.Combine(_options.Directory, bucket));
            _open[key] = segment;
        }

        segment.Append(line.WrittenSpan);
        _dirty.Add(segment);
        state.AddSpooled(1);
        if (Volatile.Read(ref _tailCount) > 0)
        {
            Publish(bucket, Encoding.UTF8.GetString(line.WrittenSpan[..^1]));
        }
    }

    private static bool SameDestination(SpoolSegment segment, ActiveLogging active)
    {
        var m = segment.Metadata;
        var c = active.Configuration;
        var format = c.EffectiveKeyFormat;
        return string.Equals(m.TargetBucket, c.TargetBucket, StringComparison.Ordinal)
            && string.Equals(m.TargetPrefix, c.TargetPrefix, StringComparison.Ordinal)
            && m.Partitioned == format.Partitioned
            && m.DateSource == (format.Partitioned ? format.EffectiveDateSource : null)
            && string.Equals(m.SourceAccountId, active.Source.OwnerAccountId, StringComparison.Ordinal)
            && string.Equals(m.SourceRegion, active.Source.Region, StringComparison.Ordinal)
            && (m.TargetGrants ?? []).SequenceEqual(c.TargetGrants ?? []);
    }

    /// <summary>Commits every dirty segment and seals those waiting for it; false (and the error reported) when the disk refuses.</summary>
    private bool TryCommit()
    {
        try
        {
            foreach (var segment in _dirty)
            {
                segment.Commit();
            }

            _dirty.Clear();
            foreach (var segment in _toSeal)
            {
                AddSealed(segment.Seal(_time.GetUtcNow()));
            }

            _toSeal.Clear();
            ClearSpoolError();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ReportSpoolError(e);
            return false;
        }
    }

    private void SealDueByAge()
    {
        var now = _time.GetUtcNow();
        foreach (var (key, segment) in _open.Where(p => p.Value.Metadata.OpenedAt + _options.RollAge <= now).ToList())
        {
            _open.Remove(key);
            _toSeal.Add(segment);
            _dirty.Add(segment);
        }
    }

    private void SealOpen(string? bucket)
    {
        foreach (var (key, segment) in _open.Where(p => bucket is null || string.Equals(p.Key.Bucket, bucket, StringComparison.Ordinal)).ToList())
        {
            _open.Remove(key);
            _toSeal.Add(segment);
            _dirty.Add(segment);
        }
    }

    private void AddSealed(SealedSegment segment)
    {
        _sealed[segment.Metadata.SegmentId] = segment;
        _sealedSignal.Writer.TryWrite(true);
    }

    private void Publish(string bucket, string text)
    {
        lock (_tailLock)
        {
            if (_tails.TryGetValue(bucket, out var list))
            {
                foreach (var channel in list)
                {
                    channel.Writer.TryWrite(text);
                }
            }
        }
    }

    private void ReportSpoolError(Exception e)
    {
        lock (_errorLock)
        {
            var first = _spoolError is null;
            _spoolError = e.Message;
            _spoolErrorAt = _time.GetUtcNow();
            if (first)
            {
                LogSpoolError(_logger, e, _options.Directory);
            }
        }
    }

    private void ClearSpoolError()
    {
        lock (_errorLock)
        {
            if (_spoolError is not null)
            {
                LogSpoolRecovered(_logger, _options.Directory);
                _spoolError = null;
                _spoolErrorAt = null;
            }
        }
    }

    private string SpoolErrorText()
    {
        lock (_errorLock)
        {
            return _spoolError ?? "unknown error";
        }
    }

    /// <summary>
    /// Picks up what a previous run left: sidecars without data were delivered (or never written)
    /// and are removed; data files are cut after their last whole, well-formed line (a hard kill can
    /// leave a torn or zero-filled tail beyond the last fsync) and sealed if they were still open.
    /// </summary>
    private void Recover()
    {
        foreach (var directory in Directory.EnumerateDirectories(_options.Directory))
        {
            foreach (var temporary in Directory.EnumerateFiles(directory, "*.tmp"))
            {
                DurableFiles.TryDelete(temporary);
            }

            foreach (var metadataPath in Directory.EnumerateFiles(directory, "*.json"))
            {
                RecoverSegment(directory, metadataPath);
            }

            foreach (var orphan in Directory.EnumerateFiles(directory, "*.log").Where(p => !File.Exists(Path.ChangeExtension(p, ".json"))))
            {
                // Cannot happen by the write order (sidecar first); kept for a human rather than guessed at.
                LogOrphan(_logger, orphan);
            }
        }
    }

    private void RecoverSegment(string directory, string metadataPath)
    {
        SegmentMetadata metadata;
        try
        {
            metadata = SegmentMetadata.FromJson(File.ReadAllBytes(metadataPath));
        }
        catch (System.Text.Json.JsonException e)
        {
            LogUnreadable(_logger, e, metadataPath);
            return;
        }

        var dataPath = Path.Combine(directory, metadata.SegmentId + ".log");
        if (!File.Exists(dataPath))
        {
            DurableFiles.TryDelete(metadataPath);
            return;
        }

        var records = Repair(dataPath, out var length);
        if (records == 0)
        {
            DurableFiles.TryDelete(dataPath);
            DurableFiles.TryDelete(metadataPath);
            return;
        }

        if (metadata.SealedAt is null)
        {
            metadata = metadata.Seal(_time.GetUtcNow());
            DurableFiles.WriteAtomically(metadataPath, metadata.ToJson());
        }

        State(metadata.SourceBucket).AddSpooled(records);
        AddSealed(new SealedSegment(metadata, dataPath, metadataPath, records, length));
    }

    /// <summary>Keeps the whole lines that are records; rewrites the file when anything was cut. Returns the record count.</summary>
    private static long Repair(string dataPath, out long length)
    {
        var bytes = File.ReadAllBytes(dataPath);
        var kept = new MemoryStream(bytes.Length);
        long records = 0;
        var rest = bytes.AsSpan();
        while (true)
        {
            var end = rest.IndexOf((byte)'\n');
            if (end < 0)
            {
                break;
            }

            var candidate = rest[..end];
            if (candidate.IndexOf((byte)0) < 0 && AccessLogParser.TryParse(Encoding.UTF8.GetString(candidate), out _, out _))
            {
                kept.Write(rest[..(end + 1)]);
                records++;
            }

            rest = rest[(end + 1)..];
        }

        length = kept.Length;
        if (kept.Length != bytes.Length)
        {
            DurableFiles.WriteAtomically(dataPath, kept.GetBuffer().AsSpan(0, (int)kept.Length));
        }

        return records;
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Access-log queue full ({Capacity} records): records are being dropped ({Dropped} so far). The spool cannot keep up; see `tally logs status`.")]
    private static partial void LogDropped(ILogger logger, long dropped, int capacity);

    [LoggerMessage(EventId = 102, Level = LogLevel.Critical, Message = "The access-log spool in {Directory} cannot write (disk full?). Records are kept in memory up to the queue bound and retried every second.")]
    private static partial void LogSpoolError(ILogger logger, Exception error, string directory);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "The access-log spool in {Directory} writes again.")]
    private static partial void LogSpoolRecovered(ILogger logger, string directory);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Spool file {Path} has no sidecar; it is left in place and not delivered.")]
    private static partial void LogOrphan(ILogger logger, string path);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Spool sidecar {Path} is unreadable; its segment is left in place and not delivered.")]
    private static partial void LogUnreadable(ILogger logger, Exception error, string path);

    private sealed record SealCommand(string? Bucket, TaskCompletionSource Done);

    private readonly record struct SpoolItem(AccessLogRecord? Record, ActiveLogging? Active, SealCommand? Command);
}
