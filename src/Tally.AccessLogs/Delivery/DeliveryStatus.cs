namespace Tally.AccessLogs.Delivery;

/// <summary>What `tally logs status` and <c>GET /_tally/logs/status</c> show (DESIGN §3).</summary>
public sealed record SpoolStatus(
    int QueueLength,
    int QueueCapacity,
    long RecordsDropped,
    string? SpoolError,
    DateTimeOffset? SpoolErrorAt,
    IReadOnlyList<BucketDeliveryStatus> Buckets)
{
    /// <summary>The lifecycle rules that keep the target buckets from growing forever; filled by the host, which owns lifecycle.</summary>
    public IReadOnlyList<LogRetentionRule> Retention { get; init; } = [];
}

/// <summary>
/// One lifecycle rule of a log target bucket that covers its log objects, as `tally logs status`
/// shows it: the simple shape (cold after N days, expire after N days) when the rule has it, and
/// a summary of every action.
/// </summary>
public sealed record LogRetentionRule(
    string TargetBucket,
    string RuleId,
    bool Enabled,
    string? Prefix,
    int? ColdAfterDays,
    string? ColdStorageClass,
    int? ExpireAfterDays,
    string Summary);

/// <summary>One source bucket: where its logs go and how delivery is going.</summary>
public sealed record BucketDeliveryStatus(
    string SourceBucket,
    bool LoggingEnabled,
    string? TargetBucket,
    string? TargetPrefix,
    long RecordsPending,
    int SegmentsPending,
    long RecordsDelivered,
    long RecordsDropped,
    DateTimeOffset? LastDeliveryAt,
    string? LastDeliveredKey,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? NextAttemptAt);

/// <summary>The live counters of one source bucket. Counters are atomic; the rest is under a lock.</summary>
internal sealed class BucketLogState(string bucket)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private long _queued;
    private long _spooled;
    private long _delivered;
    private long _dropped;
    private int _failures;

    public string Bucket { get; } = bucket;

    public long Queued => Interlocked.Read(ref _queued);

    public long Spooled => Interlocked.Read(ref _spooled);

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Dropped => Interlocked.Read(ref _dropped);

    public DateTimeOffset? LastDeliveryAt { get; private set; }

    public string? LastDeliveredKey { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? LastErrorAt { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    public void Enqueued() => Interlocked.Increment(ref _queued);

    public void Dequeued() => Interlocked.Decrement(ref _queued);

    public void AddSpooled(long records) => Interlocked.Add(ref _spooled, records);

    public void DroppedOne() => Interlocked.Increment(ref _dropped);

    public void DeliveredSegment(long records, string key, DateTimeOffset at)
    {
        Interlocked.Add(ref _spooled, -records);
        Interlocked.Add(ref _delivered, records);
        lock (_lock)
        {
            LastDeliveryAt = at;
            LastDeliveredKey = key;
            LastError = null;
            NextAttemptAt = null;
            _failures = 0;
        }
    }

    /// <summary>Records a failed delivery and schedules the next attempt with exponential backoff (1 s … 5 min).</summary>
    public void Failed(string error, DateTimeOffset at)
    {
        lock (_lock)
        {
            _failures = Math.Min(_failures + 1, 30);
            var backoff = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, _failures - 1), MaxBackoff.TotalSeconds));
            LastError = error;
            LastErrorAt = at;
            NextAttemptAt = at + backoff;
        }
    }

    public bool IsDue(DateTimeOffset now)
    {
        lock (_lock)
        {
            return NextAttemptAt is not { } next || next <= now;
        }
    }
}
