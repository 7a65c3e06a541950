using Tally.AccessLogs.Records;

namespace Tally.AccessLogs.Delivery;

/// <summary>How the log spool writes, commits and rolls (DESIGN §3; `tally serve --log-*`).</summary>
public sealed record SpoolOptions
{
    /// <summary>Where segments live: one sub-directory per source bucket.</summary>
    public required string Directory { get; init; }

    /// <summary>27 (current layout) or 26 (without Source region, for tools that expect it).</summary>
    public int FieldCount { get; init; } = AccessLogFields.Current;

    /// <summary>
    /// Group-commit window: records are fsynced in batches at most this far apart, so after a hard
    /// kill at most this window (plus one fsync) of records is lost. Zero writes and fsyncs each
    /// record on its own.
    /// </summary>
    public TimeSpan CommitWindow { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>A segment is sealed (and so delivered) this long after its first record.</summary>
    public TimeSpan RollAge { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A segment is sealed before it would grow past this size.</summary>
    public long RollBytes { get; init; } = 5L * 1024 * 1024;

    /// <summary>
    /// Records accepted but not yet written: the memory bound. When full, new records are dropped
    /// and counted (reported in the status and the server log), never blocking a request.
    /// </summary>
    public int QueueCapacity { get; init; } = 65_536;
}
