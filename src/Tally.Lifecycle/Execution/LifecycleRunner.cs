using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tally.Core.Errors;
using Tally.Lifecycle.Configuration;
using Tally.Lifecycle.Evaluation;
using Tally.Storage;
using Tally.Storage.Model;

namespace Tally.Lifecycle.Execution;

public sealed record LifecycleRunnerOptions
{
    /// <summary>Keys (with all their versions) or uploads read per page; progress is saved between pages.</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>Progress is saved at most this often within a bucket (always at bucket and phase ends). Zero saves after every page.</summary>
    public TimeSpan ProgressSaveInterval { get; init; } = TimeSpan.FromSeconds(1);

    public LifecycleCalendar Calendar { get; init; } = LifecycleCalendar.Standard;

    /// <summary>
    /// Actions of one page carried out at once: the store group-commits concurrent writes, so a
    /// page of expirations shares a few catalog fsyncs instead of paying one each.
    /// </summary>
    public int ActionParallelism { get; init; } = 32;
}

/// <summary>One action a preview found due: the <c>S3.*</c> operation it would log, the rule and the date it became due.</summary>
public sealed record PlannedLifecycleAction(string Bucket, string Key, string? VersionId, string? UploadId, string Operation, string RuleId, DateOnly DueDate);

/// <summary>What a run would do (<see cref="LifecycleRunner.PreviewAsync"/>); <paramref name="Truncated"/> when more actions are due than listed.</summary>
public sealed record LifecyclePreview(DateOnly Date, LifecycleCounters Counters, IReadOnlyList<PlannedLifecycleAction> Actions, bool Truncated);

/// <summary>What one call did. <paramref name="Ran"/> is false when today's run had completed already.</summary>
public sealed record LifecycleRunReport(DateOnly Date, bool Ran, bool Resumed, LifecycleCounters Counters);

/// <summary>
/// The lifecycle engine (spec §6.3), after garage's lifecycle worker: once per lifecycle date it
/// visits the buckets that have a lifecycle configuration, in name order, and within each only
/// the key ranges its enabled rules cover (one range per rule prefix), evaluates every version
/// with the pure <see cref="LifecycleEvaluator"/>, and carries out what is due through
/// <see cref="ILifecycleStore"/>'s conditional actions, writing each action's <c>S3.*</c> access-log
/// record. Progress (bucket, range, key marker, counters) is saved as it goes, so a restart
/// resumes where the last save left off; a page evaluated again finds its actions done (the
/// version is gone or changed), so nothing is deleted or logged twice. Runs are serialized: a
/// call waits for the run in progress (one runner per store and progress file).
/// </summary>
public sealed partial class LifecycleRunner(
    IObjectStore store,
    ILifecycleStore lifecycle,
    IBucketSettingsStore settings,
    LifecycleProgressFile progressFile,
    LifecycleRecords records,
    TimeProvider time,
    LifecycleRunnerOptions? options = null,
    ILogger<LifecycleRunner>? logger = null) : IDisposable
{
    private readonly LifecycleRunnerOptions _options = options ?? new LifecycleRunnerOptions();
    private readonly LifecycleSettings _settings = new(settings);
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly SemaphoreSlim _running = new(1, 1);

    // Runs as of another date keep their progress beside the daily run's, so that looking ahead
    // (`tally lifecycle run --as-of`) neither resumes nor ends the daily schedule.
    private readonly LifecycleProgressFile _dailyProgressFile = progressFile;
    private readonly LifecycleProgressFile _asOfProgressFile = new(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(progressFile.Path)!, "as-of.json"));
    private LifecycleProgressFile _activeProgressFile = progressFile;

    // Set while PreviewAsync runs: what is due is listed here instead of done, and nothing is saved.
    private List<PlannedLifecycleAction>? _planned;
    private int _plannedLimit;
    private long _lastSave;

    public LifecycleCalendar Calendar => _options.Calendar;

    /// <summary>Today's lifecycle date at the clock's current time.</summary>
    public DateOnly Today => _options.Calendar.Today(time.GetUtcNow());

    public void Dispose() => _running.Dispose();

    /// <summary>The saved progress (null before the first run).</summary>
    public LifecycleProgress? Progress => _dailyProgressFile.Load();

    /// <summary>
    /// Runs for today unless today's run completed already. An interrupted run resumes from its
    /// saved position (with today's date: whatever was due then is due now).
    /// </summary>
    public async Task<LifecycleRunReport> RunIfDueAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _activeProgressFile = _dailyProgressFile;
            var today = Today;
            var saved = Load();
            if (saved is { Completed: true } done && done.Date >= today)
            {
                return new LifecycleRunReport(done.Date, Ran: false, Resumed: false, done.Counters);
            }

            return await (saved is { Completed: false } running
                ? RunFromAsync(running with { Date = running.Date > today ? running.Date : today }, resumed: true, ct)
                : RunFromAsync(new LifecycleProgress { Date = today }, resumed: false, ct)).ConfigureAwait(false);
        }
        finally
        {
            _ = _running.Release();
        }
    }

    /// <summary>
    /// Runs for <paramref name="date"/> now, whether or not a run for it completed
    /// (<c>tally lifecycle run [--as-of]</c>); resumes an interrupted run of the same date. A run for
    /// today is the daily run; a run for another date keeps its own progress, so it leaves the
    /// daily schedule as it was.
    /// </summary>
    public async Task<LifecycleRunReport> RunAsync(DateOnly date, CancellationToken ct)
    {
        await _running.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _activeProgressFile = date == Today ? _dailyProgressFile : _asOfProgressFile;
            var saved = Load();
            return await (saved is { Completed: false } running && running.Date == date
                ? RunFromAsync(running, resumed: true, ct)
                : RunFromAsync(new LifecycleProgress { Date = date }, resumed: false, ct)).ConfigureAwait(false);
        }
        finally
        {
            _ = _running.Release();
        }
    }

    /// <summary>
    /// What a run for <paramref name="date"/> would do, without doing it (<c>tally lifecycle run
    /// --dry-run</c>): the counters as a run would report them, and the first
    /// <paramref name="maxListed"/> actions. Saves no progress and writes no record.
    /// </summary>
    public async Task<LifecyclePreview> PreviewAsync(DateOnly date, int maxListed, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxListed);
        await _running.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _planned = [];
            _plannedLimit = maxListed;
            var report = await RunFromAsync(new LifecycleProgress { Date = date }, resumed: false, ct).ConfigureAwait(false);
            return new LifecyclePreview(date, report.Counters, _planned, report.Counters.Actions > _planned.Count);
        }
        finally
        {
            _planned = null;
            _ = _running.Release();
        }
    }

    /// <summary>The key ranges a scan visits: one per distinct prefix of the enabled rules, or null for the whole bucket.</summary>
    internal static IReadOnlyList<string?> ScanRanges(LifecycleRules rules, bool uploads)
    {
        var prefixes = new List<string>();
        foreach (var rule in rules.Rules)
        {
            var acts = uploads
                ? rule.AbortIncompleteMultipartUploadDays is not null
                : rule.Expiration is not null || rule.Transitions.Count > 0 || rule.NoncurrentVersionExpiration is not null || rule.NoncurrentVersionTransitions.Count > 0;
            if (!rule.Enabled || !acts)
            {
                continue;
            }

            if (string.IsNullOrEmpty(rule.Filter.Prefix))
            {
                return [null];
            }

            prefixes.Add(rule.Filter.Prefix);
        }

        prefixes.Sort(StringComparer.Ordinal);
        var ranges = new List<string?>();
        foreach (var prefix in prefixes)
        {
            // Sorted, a prefix covered by another comes right after some range that covers it.
            if (!ranges.Exists(r => prefix.StartsWith(r!, StringComparison.Ordinal)))
            {
                ranges.Add(prefix);
            }
        }

        return ranges;
    }

    /// <summary>
    /// The catalog filter of a scan on <paramref name="today"/>: a version can only be due if it
    /// is at least as old as the youngest age any enabled rule acts on (spec §6.3: N days after
    /// creation, at midnight, so modified at or before today − N); a Date that has come makes
    /// every version a candidate; noncurrent rules count from when a version became noncurrent;
    /// ExpiredObjectDeleteMarker makes every delete marker a candidate. A necessary condition
    /// only: the evaluator decides.
    /// </summary>
    internal static LifecycleCandidates Candidates(LifecycleRules rules, DateOnly today, LifecycleCalendar calendar)
    {
        int? currentDays = null;
        int? noncurrentDays = null;
        var allCurrent = false;
        var allNoncurrent = false;
        var markers = false;
        foreach (var rule in rules.Rules.Where(r => r.Enabled))
        {
            foreach (var (days, date) in rule.Transitions.Select(t => (t.Days, t.Date)).Append((rule.Expiration?.Days, rule.Expiration?.Date)))
            {
                currentDays = days is { } d && (currentDays is null || d < currentDays) ? d : currentDays;
                allCurrent |= date is { } at && at <= today;
            }

            markers |= rule.Expiration?.ExpiredObjectDeleteMarker == true;
            foreach (var days in rule.NoncurrentVersionTransitions.Select(t => (int?)t.NoncurrentDays).Append(rule.NoncurrentVersionExpiration?.NoncurrentDays))
            {
                noncurrentDays = days is { } d && (noncurrentDays is null || d < noncurrentDays) ? d : noncurrentDays;
            }

            allNoncurrent |= rule.NoncurrentVersionExpiration is { NoncurrentDays: null };
        }

        // One second of slack: the calendar's mapping is rounded to milliseconds, and a looser
        // filter only means one more key evaluated.
        DateTimeOffset? Cutoff(bool all, int? days) =>
            all ? DateTimeOffset.MaxValue : days is { } d && d <= today.DayNumber ? calendar.ToRealTime(today.AddDays(-d)).AddSeconds(1) : null;

        return new LifecycleCandidates(Cutoff(allCurrent, currentDays), Cutoff(allNoncurrent, noncurrentDays), markers);
    }

    /// <summary>The saved progress when it counts on this runner's calendar (another timeline's dates mean nothing here).</summary>
    private LifecycleProgress? Load()
    {
        var saved = _activeProgressFile.Load();
        return saved is not null && string.Equals(saved.Calendar ?? LifecycleCalendar.Standard.Id, _options.Calendar.Id, StringComparison.Ordinal) ? saved : null;
    }

    private async Task<LifecycleRunReport> RunFromAsync(LifecycleProgress start, bool resumed, CancellationToken ct)
    {
        var progress = start with { Calendar = _options.Calendar.IsCompressed ? _options.Calendar.Id : null };
        Save(progress, force: true);
        LogRunStarting(_logger, progress.Date, resumed, progress.Bucket);
        foreach (var (bucket, rules) in await _settings.ListAsync(ct).ConfigureAwait(false))
        {
            if (progress.Bucket is { } current && string.CompareOrdinal(bucket, current) < 0)
            {
                continue;
            }

            if (!string.Equals(progress.Bucket, bucket, StringComparison.Ordinal))
            {
                progress = progress with { Bucket = bucket, Phase = LifecyclePhase.Objects, Range = 0, KeyMarker = null, UploadIdMarker = null };
            }

            var info = await store.GetBucketAsync(bucket, ct).ConfigureAwait(false);
            if (info is null)
            {
                continue;
            }

            try
            {
                progress = await ScanObjectsAsync(info, rules, progress, ct).ConfigureAwait(false);
                progress = await ScanUploadsAsync(info, rules, progress, ct).ConfigureAwait(false);
            }
            catch (S3Exception e) when (e.Error == S3Errors.NoSuchBucket)
            {
                // Deleted while we were scanning it.
            }

            progress = progress with { Counters = progress.Counters with { BucketsScanned = progress.Counters.BucketsScanned + 1 } };
        }

        var done = progress with { Completed = true, Bucket = null, Phase = LifecyclePhase.Objects, Range = 0, KeyMarker = null, UploadIdMarker = null };
        Save(done, force: true);
        var c = done.Counters;
        LogRunCompleted(_logger, done.Date, c.VersionsVisited, c.Expired, c.DeleteMarkersCreated, c.Transitioned, c.NoncurrentExpired, c.DeleteMarkersRemoved, c.UploadsAborted);
        return new LifecycleRunReport(done.Date, Ran: true, resumed, c);
    }

    private async Task<LifecycleProgress> ScanObjectsAsync(BucketInfo bucket, LifecycleRules rules, LifecycleProgress progress, CancellationToken ct)
    {
        if (progress.Phase != LifecyclePhase.Objects)
        {
            return progress;
        }

        var ranges = ScanRanges(rules, uploads: false);
        var candidates = Candidates(rules, progress.Date, _options.Calendar);
        var versioned = bucket.Versioning != VersioningStatus.Unversioned;
        for (var range = progress.Range; range < ranges.Count; range++)
        {
            var marker = range == progress.Range ? progress.KeyMarker : null;
            do
            {
                var page = await lifecycle.ListLifecycleCandidatesAsync(bucket.Name, ranges[range], marker, _options.PageSize, candidates, ct).ConfigureAwait(false);
                var counters = progress.Counters;
                var due = new List<(ObjectVersion Version, LifecycleAction Action)>();
                foreach (var key in page.Keys)
                {
                    counters = Evaluate(rules, key, progress.Date, versioned, counters, due);
                }

                counters = await ExecuteAllAsync(bucket, due, counters, ct).ConfigureAwait(false);

                marker = page.NextKeyMarker;
                progress = progress with { Range = marker is null ? range + 1 : range, KeyMarker = marker, Counters = counters };
                Save(progress, force: false);
            }
            while (marker is not null);
        }

        progress = progress with { Phase = LifecyclePhase.Uploads, Range = 0, KeyMarker = null };
        Save(progress, force: true);
        return progress;
    }

    /// <summary>Evaluates every version of one key; what is due is added to <paramref name="due"/>.</summary>
    private LifecycleCounters Evaluate(LifecycleRules rules, KeyVersions key, DateOnly today, bool versioned, LifecycleCounters counters, List<(ObjectVersion Version, LifecycleAction Action)> due)
    {
        var calendar = _options.Calendar;
        var versions = key.Versions;
        var newerNoncurrent = 0;
        for (var i = 0; i < versions.Count; i++)
        {
            var version = versions[i];
            var noncurrentSince = version.NoncurrentSince ?? (i > 0 ? versions[i - 1].LastModified : (DateTimeOffset?)null);
            var facts = new ObjectFacts
            {
                Key = key.Key,
                Size = version.Size,
                LastModified = calendar.ToLifecycleTime(version.LastModified),
                Tags = version.Tags,
                StorageClass = version.StorageClass,
                VersionedBucket = versioned,
                IsLatest = version.IsLatest,
                IsDeleteMarker = version.IsDeleteMarker,
                NoncurrentSince = version.IsLatest || noncurrentSince is null ? null : calendar.ToLifecycleTime(noncurrentSince.Value),
                NewerNoncurrentVersions = newerNoncurrent,
                HasNoncurrentVersions = versions.Count > 1,
            };
            if (!version.IsLatest && !version.IsDeleteMarker)
            {
                newerNoncurrent++;
            }

            if (LifecycleEvaluator.Evaluate(rules, facts, today) is { } action)
            {
                due.Add((version, action));
            }
        }

        return counters with { VersionsVisited = counters.VersionsVisited + versions.Count };
    }

    private async Task<LifecycleCounters> ExecuteAllAsync(BucketInfo bucket, List<(ObjectVersion Version, LifecycleAction Action)> due, LifecycleCounters counters, CancellationToken ct)
    {
        if (due.Count == 0)
        {
            return counters;
        }

        var outcomes = new ActionOutcome[due.Count];
        if (_planned is not null)
        {
            for (var i = 0; i < due.Count; i++)
            {
                var (version, action) = due[i];
                Plan(bucket, version.Key, version.VersionId, action);
                outcomes[i] = action.Kind switch
                {
                    LifecycleActionKind.Expire => ActionOutcome.Expired,
                    LifecycleActionKind.CreateDeleteMarker => ActionOutcome.DeleteMarkerCreated,
                    LifecycleActionKind.Transition or LifecycleActionKind.TransitionNoncurrentVersion => ActionOutcome.Transitioned,
                    LifecycleActionKind.ExpireNoncurrentVersion => ActionOutcome.NoncurrentExpired,
                    _ => ActionOutcome.DeleteMarkerRemoved,
                };
            }
        }
        else
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, due.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.ActionParallelism), CancellationToken = ct },
                async (i, token) => outcomes[i] = await ExecuteAsync(bucket, due[i].Version, due[i].Action, token).ConfigureAwait(false)).ConfigureAwait(false);
        }

        foreach (var outcome in outcomes)
        {
            counters = outcome switch
            {
                ActionOutcome.Expired => counters with { Expired = counters.Expired + 1 },
                ActionOutcome.DeleteMarkerCreated => counters with { DeleteMarkersCreated = counters.DeleteMarkersCreated + 1 },
                ActionOutcome.Transitioned => counters with { Transitioned = counters.Transitioned + 1 },
                ActionOutcome.NoncurrentExpired => counters with { NoncurrentExpired = counters.NoncurrentExpired + 1 },
                ActionOutcome.DeleteMarkerRemoved => counters with { DeleteMarkersRemoved = counters.DeleteMarkersRemoved + 1 },
                _ => counters with { Skipped = counters.Skipped + 1 },
            };
        }

        return counters;
    }

    private async Task<ActionOutcome> ExecuteAsync(BucketInfo bucket, ObjectVersion version, LifecycleAction action, CancellationToken ct)
    {
        // Versioned buckets name the version acted on (or created) in the record; a bucket never
        // versioned has none (its records show "-", as for requests).
        string? LoggedVersion(string? id) => bucket.Versioning == VersioningStatus.Unversioned ? null : id;

        switch (action.Kind)
        {
            case LifecycleActionKind.Expire or LifecycleActionKind.CreateDeleteMarker:
                {
                    var deletion = await lifecycle.ExpireCurrentVersionAsync(version, ct).ConfigureAwait(false);
                    if (deletion is null)
                    {
                        return ActionOutcome.Skipped;
                    }

                    if (deletion.MarkerCreated)
                    {
                        Log(bucket, "S3.CREATE.DELETEMARKER", version, LoggedVersion(deletion.VersionId));
                        return ActionOutcome.DeleteMarkerCreated;
                    }

                    Log(bucket, "S3.EXPIRE.OBJECT", version, LoggedVersion(version.VersionId));
                    return ActionOutcome.Expired;
                }

            case LifecycleActionKind.Transition or LifecycleActionKind.TransitionNoncurrentVersion:
                {
                    var moved = await lifecycle.TransitionVersionAsync(version, action.StorageClass!, ct).ConfigureAwait(false);
                    if (moved is null)
                    {
                        return ActionOutcome.Skipped;
                    }

                    Log(bucket, action.LogOperation, version, LoggedVersion(version.VersionId));
                    return ActionOutcome.Transitioned;
                }

            case LifecycleActionKind.ExpireNoncurrentVersion or LifecycleActionKind.RemoveExpiredDeleteMarker:
                {
                    var marker = action.Kind == LifecycleActionKind.RemoveExpiredDeleteMarker;
                    var removed = await lifecycle.ExpireVersionAsync(version, onlyIfSoleVersion: marker, ct).ConfigureAwait(false);
                    if (removed is null)
                    {
                        return ActionOutcome.Skipped;
                    }

                    Log(bucket, "S3.EXPIRE.OBJECT", version, version.VersionId);
                    return marker ? ActionOutcome.DeleteMarkerRemoved : ActionOutcome.NoncurrentExpired;
                }

            default:
                throw new InvalidOperationException("Not an object action: " + action.Kind);
        }
    }

    private async Task<LifecycleProgress> ScanUploadsAsync(BucketInfo bucket, LifecycleRules rules, LifecycleProgress progress, CancellationToken ct)
    {
        var ranges = ScanRanges(rules, uploads: true);
        for (var range = progress.Range; range < ranges.Count; range++)
        {
            var keyMarker = range == progress.Range ? progress.KeyMarker : null;
            var uploadIdMarker = range == progress.Range ? progress.UploadIdMarker : null;
            bool truncated;
            do
            {
                var page = await store.ListMultipartUploadsAsync(
                    bucket.Name,
                    new ListMultipartUploadsQuery(ranges[range] ?? string.Empty, null, keyMarker, uploadIdMarker, _options.PageSize),
                    ct).ConfigureAwait(false);
                var counters = progress.Counters;
                foreach (var upload in page.Uploads)
                {
                    counters = counters with { UploadsVisited = counters.UploadsVisited + 1 };
                    var facts = new UploadFacts(upload.Key, _options.Calendar.ToLifecycleTime(upload.Initiated));
                    if (LifecycleEvaluator.EvaluateUpload(rules, facts, progress.Date) is not { } abort)
                    {
                        continue;
                    }

                    if (_planned is not null)
                    {
                        Plan(bucket, upload.Key, null, abort, upload.UploadId);
                        counters = counters with { UploadsAborted = counters.UploadsAborted + 1 };
                        continue;
                    }

                    try
                    {
                        await store.AbortMultipartUploadAsync(bucket.Name, upload.Key, upload.UploadId, ct).ConfigureAwait(false);
                    }
                    catch (S3Exception e) when (e.Error == S3Errors.NoSuchUpload)
                    {
                        // Completed or aborted since the listing.
                        counters = counters with { Skipped = counters.Skipped + 1 };
                        continue;
                    }

                    _ = records.Write(bucket.OwnerCanonicalId, bucket.Name, "S3.DELETE.UPLOAD", upload.Key, null, null);
                    counters = counters with { UploadsAborted = counters.UploadsAborted + 1 };
                }

                truncated = page.IsTruncated;
                keyMarker = truncated ? page.NextKeyMarker : null;
                uploadIdMarker = truncated ? page.NextUploadIdMarker : null;
                progress = progress with { Range = truncated ? range : range + 1, KeyMarker = keyMarker, UploadIdMarker = uploadIdMarker, Counters = counters };
                Save(progress, force: false);
            }
            while (truncated);
        }

        return progress;
    }

    private void Log(BucketInfo bucket, string operation, ObjectVersion version, string? versionId) =>
        records.Write(bucket.OwnerCanonicalId, bucket.Name, operation, version.Key, version.IsDeleteMarker ? null : version.Size, versionId);

    private void Plan(BucketInfo bucket, string key, string? versionId, LifecycleAction action, string? uploadId = null)
    {
        if (_planned!.Count < _plannedLimit)
        {
            // As in the records: a bucket never versioned names no version.
            var named = bucket.Versioning == VersioningStatus.Unversioned ? null : versionId;
            _planned.Add(new PlannedLifecycleAction(bucket.Name, key, named, uploadId, action.LogOperation, action.RuleId, action.DueDate));
        }
    }

    private void Save(LifecycleProgress progress, bool force)
    {
        if (_planned is not null)
        {
            return;
        }

        var now = time.GetTimestamp();
        if (force || _options.ProgressSaveInterval <= TimeSpan.Zero || time.GetElapsedTime(_lastSave, now) >= _options.ProgressSaveInterval)
        {
            _activeProgressFile.Save(progress);
            _lastSave = now;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Lifecycle run for {Date} starting (resumed: {Resumed}, at bucket {Bucket})")]
    private static partial void LogRunStarting(ILogger logger, DateOnly date, bool resumed, string? bucket);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Lifecycle run for {Date} completed: {Visited} versions visited, {Expired} expired, {Markers} delete markers, {Transitioned} transitioned, {Noncurrent} noncurrent expired, {MarkersRemoved} markers removed, {Aborted} uploads aborted")]
    private static partial void LogRunCompleted(ILogger logger, DateOnly date, long visited, long expired, long markers, long transitioned, long noncurrent, long markersRemoved, long aborted);

    private enum ActionOutcome
    {
        Skipped,
        Expired,
        DeleteMarkerCreated,
        Transitioned,
        NoncurrentExpired,
        DeleteMarkerRemoved,
    }
}
