using System.Globalization;

namespace Tally.Analytics.Ingest;

public sealed record IngestOptions
{
    /// <summary>Longer lines are rejected (AWS lines are a few KiB; headers are capped at 8 KiB).</summary>
    public int MaxLineBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// Files are committed in groups of about this many bytes or <see cref="BatchFiles"/> files. DuckDB
    /// appends large transactions far more cheaply than many small ones (each commit rewrites the
    /// table's last, partly filled row group), so the default is large; a failed file never costs
    /// more than itself, as it is cut out before its group is loaded.
    /// </summary>
    public long BatchBytes { get; init; } = 512L * 1024 * 1024;

    public int BatchFiles { get; init; } = 5000;

    /// <summary>Each worker hands its rows to DuckDB in pieces of about this many bytes of log objects.</summary>
    public long SegmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Log objects parsed at once, one per worker; null = one worker per core.</summary>
    public int? Workers { get; init; }

    /// <summary>
    /// Where parsed rows are staged before DuckDB loads them (a fresh subdirectory, removed when the
    /// ingest ends); null = beside the warehouse file (the system temp directory for a warehouse in
    /// memory). It holds about 1.5× the text of the log objects of one commit group
    /// (<see cref="BatchBytes"/>) plus the segments the workers are writing.
    /// </summary>
    public string? StagingDirectory { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>Where a load is; reported after each file and every few thousand lines.</summary>
public sealed record IngestProgress(int FilesDone, long BytesDone, long LinesRead, string? CurrentFile);

/// <summary>A log object that could not be loaded, and why. Nothing of it was committed.</summary>
public sealed record IngestFailure(string File, string Reason);

/// <summary>What one ingest did. Every line read is either loaded or rejected.</summary>
public sealed record IngestSummary(
    int FilesLoaded,
    int FilesSkipped,
    IReadOnlyList<IngestFailure> Failures,
    long LinesRead,
    long LinesLoaded,
    long LinesRejected,
    TimeSpan Elapsed)
{
    public override string ToString()
    {
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"read {LinesRead} lines, loaded {LinesLoaded}, rejected {LinesRejected} from {FilesLoaded} files ({FilesSkipped} skipped, already loaded)");
        return Failures.Count == 0 ? text : text + string.Create(CultureInfo.InvariantCulture, $", {Failures.Count} failed");
    }
}
