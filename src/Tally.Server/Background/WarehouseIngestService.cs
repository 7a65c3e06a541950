using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Delivery;
using Tally.Analytics.Ingest;
using Tally.Analytics.Warehouse;
using Tally.Server.Hosting;
using Tally.Storage.Disk;

namespace Tally.Server.Background;

/// <summary>What the server's warehouse ingest last did; also written to <c>DATA/analytics/ingest-status.json</c>.</summary>
public sealed record WarehouseIngestStatus(
    bool Enabled,
    TimeSpan Interval,
    DateTimeOffset? LastPassAt,
    string? LastPass,
    int FilesLoaded,
    long LinesLoaded,
    long LinesRejected,
    IReadOnlyList<IngestFailure> LastFailures,
    string? LastError,
    DateTimeOffset? LastErrorAt);

/// <summary>
/// Loads the access logs this server delivers into <c>DATA/analytics/warehouse.duckdb</c> (issue 6):
/// a pass after every delivery (seen in the spool's delivered counters) and every
/// <c>TALLY_ANALYTICS_INGEST_INTERVAL</c> (default 5m; <c>off</c> disables), reading the target
/// buckets' objects through the store, never over HTTP. The shell around <see cref="DeliveredLogIngest"/>.
/// </summary>
/// <remarks>
/// A pass holds the warehouse file only while it loads something new, on one worker and one DuckDB
/// thread so requests keep the other cores. When <c>tally query</c> or <c>tally logs ingest</c> holds
/// the file, the pass is tried again <see cref="BusyRetry"/> later; readers wait for a pass to end
/// (<see cref="WarehouseOptions.LockWait"/>). Failures are logged and kept in <see cref="Status"/>.
/// </remarks>
public sealed partial class WarehouseIngestService(
    TallyOptions options,
    DiskObjectStore store,
    LoggingRegistry registry,
    LogSpool spool,
    TimeProvider time,
    ILogger<WarehouseIngestService> logger) : BackgroundService
{
    public const string IntervalVariable = "TALLY_ANALYTICS_INGEST_INTERVAL";
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DeliveryPoll = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private WarehouseIngestStatus _status = new(false, DefaultInterval, null, null, 0, 0, 0, [], null, null);

    public WarehouseIngestStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    /// <summary>Parses the interval setting: seconds, or a number with s, m or h; <c>off</c> or 0 = disabled (null).</summary>
    /// <exception cref="FormatException">Neither.</exception>
    public static TimeSpan? ParseInterval(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultInterval;
        }

        text = text.Trim();
        if (text is "off" or "0")
        {
            return null;
        }

        var (number, unit) = char.IsAsciiLetter(text[^1]) ? (text[..^1], text[^1]) : (text, 's');
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount <= 0 || unit is not ('s' or 'm' or 'h'))
        {
            throw new FormatException($"{IntervalVariable}='{text}' is not an interval (300, 30s, 5m, 1h) or off.");
        }

        return unit switch { 'h' => TimeSpan.FromHours(amount), 'm' => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromSeconds(amount) };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan? configured;
        try
        {
            configured = ParseInterval(options.Environment(IntervalVariable));
        }
        catch (FormatException e)
        {
            LogBadInterval(logger, e.Message);
            configured = DefaultInterval;
        }

        if (configured is not { } interval)
        {
            Update(s => s with { Enabled = false, Interval = TimeSpan.Zero });
            return;
        }

        Update(s => s with { Enabled = true, Interval = interval });
        var dataDir = options.DataDir;
        var ingest = new DeliveredLogIngest(
            store,
            LogWarehouse.PathFor(dataDir),
            new WarehouseOptions { MemoryLimit = "256MB", Threads = 1, LockWait = TimeSpan.Zero },
            new IngestOptions { Workers = 1, Time = time });
        long? deliveredAtLastPass = null;
        var nextPass = time.GetUtcNow() + DeliveryPoll;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(DeliveryPoll, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var delivered = spool.Status().Buckets.Sum(b => b.RecordsDelivered);
            if (delivered == deliveredAtLastPass && time.GetUtcNow() < nextPass)
            {
                continue;
            }

            nextPass = time.GetUtcNow() + await RunPassAsync(ingest, dataDir, interval, stoppingToken);
            deliveredAtLastPass = delivered;
        }
    }

    /// <summary>One pass; returns how long to wait before the next one unless a delivery comes first.</summary>
    private async Task<TimeSpan> RunPassAsync(DeliveredLogIngest ingest, string dataDir, TimeSpan interval, CancellationToken ct)
    {
        var targets = registry.All.Select(a => new LogTarget(a.Configuration.TargetBucket, a.Configuration.TargetPrefix)).ToList();
        if (targets.Count == 0)
        {
            return interval;
        }

        try
        {
            var summary = await ingest.RunAsync(targets, ct);
            var at = time.GetUtcNow();
            var text = summary.ToString();
            Update(s => s with
            {
                LastPassAt = at,
                LastPass = text,
                FilesLoaded = s.FilesLoaded + summary.FilesLoaded,
                LinesLoaded = s.LinesLoaded + summary.LinesLoaded,
                LinesRejected = s.LinesRejected + summary.LinesRejected,
                LastFailures = summary.Failures,
            });
            if (summary.FilesLoaded > 0 || summary.Failures.Count > 0)
            {
                LogPass(logger, text);
            }

            foreach (var failure in summary.Failures)
            {
                LogObjectFailed(logger, failure.File, failure.Reason);
            }

            WriteStatusFile(dataDir);
            return interval;
        }
        catch (WarehouseBusyException e)
        {
            // DuckDB's own words name the process holding the file.
            var reason = e.InnerException?.Message ?? e.Message;
            LogBusy(logger, reason);
            Failed($"postponed, the warehouse is in use: {reason}", dataDir);
            return BusyRetry;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return interval;
        }
#pragma warning disable CA1031 // A failed pass is logged, shown in the status and tried again; the server must outlive it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogPassFailed(logger, e);
            Failed($"{e.GetType().Name}: {e.Message}", dataDir);
            return interval;
        }
    }

    private void Failed(string error, string dataDir)
    {
        var at = time.GetUtcNow();
        Update(s => s with { LastError = error, LastErrorAt = at });
        WriteStatusFile(dataDir);
    }

    private void Update(Func<WarehouseIngestStatus, WarehouseIngestStatus> change)
    {
        lock (_lock)
        {
            _status = change(_status);
        }
    }

    /// <summary>Written beside the warehouse (temp file, then rename) for operators and the CLI to read.</summary>
    private void WriteStatusFile(string dataDir)
    {
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(LogWarehouse.PathFor(dataDir)))!;
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, "ingest-status.json");
            var temp = path + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(Status, StatusJson));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogStatusNotWritten(logger, e.Message);
        }
    }

    private static readonly JsonSerializerOptions StatusJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Warehouse ingest: {Summary}")]
    private static partial void LogPass(ILogger logger, string summary);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Warehouse ingest could not load {File}: {Reason}")]
    private static partial void LogObjectFailed(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Warehouse ingest postponed, the warehouse is in use: {Reason}")]
    private static partial void LogBusy(ILogger logger, string reason);

    [LoggerMessage(EventId = 604, Level = LogLevel.Error, Message = "Warehouse ingest pass failed; retrying at the next interval")]
    private static partial void LogPassFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 605, Level = LogLevel.Warning, Message = "Warehouse ingest: " + IntervalVariable + " ignored: {Reason}")]
    private static partial void LogBadInterval(ILogger logger, string reason);

    [LoggerMessage(EventId = 606, Level = LogLevel.Warning, Message = "Warehouse ingest status file not written: {Reason}")]
    private static partial void LogStatusNotWritten(ILogger logger, string reason);
}
