using Tally.Lifecycle.Configuration;
using Tally.Lifecycle.Execution;

namespace Tally.Server.Admin;

/// <summary>One bucket with a lifecycle configuration: how many rules, how many of them enabled.</summary>
public sealed record LifecycleBucketStatus(string Bucket, int Rules, int EnabledRules);

/// <summary>
/// `tally lifecycle status` (<c>GET /_tally/lifecycle/status</c>): the lifecycle date now, when the
/// next daily run starts, what the last (or current) daily run did, and the buckets it visits.
/// </summary>
public sealed record LifecycleStatus(DateOnly Today, DateTimeOffset NextRunAt, LifecycleProgress? LastRun, IReadOnlyList<LifecycleBucketStatus> Buckets)
{
    /// <summary>With <c>--lifecycle-day-seconds</c>: how long one lifecycle day lasts (its dates are then a test timeline's); null for real days.</summary>
    public TimeSpan? CompressedDayLength { get; init; }

    public static async Task<LifecycleStatus> ReadAsync(LifecycleRunner runner, LifecycleSettings settings, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var buckets = (await settings.ListAsync(ct).ConfigureAwait(false))
            .Select(b => new LifecycleBucketStatus(b.Bucket, b.Rules.Rules.Count, b.Rules.Rules.Count(r => r.Enabled)))
            .ToList();
        var last = runner.Progress;

        // Today's run starts at once when it has not completed yet (the service checks every second).
        var now = time.GetUtcNow();
        var next = last is { Completed: true } done && done.Date >= runner.Today ? runner.Calendar.NextMidnight(now) : now;
        return new LifecycleStatus(runner.Today, next, last, buckets)
        {
            CompressedDayLength = runner.Calendar.IsCompressed ? runner.Calendar.DayLength : null,
        };
    }
}
