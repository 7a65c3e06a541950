using Tally.Lifecycle.Execution;
using Tally.Storage;

namespace Tally.Server.Admin;

/// <summary>
/// What one `tally lifecycle run` did, whether the running server did it (admin API) or the CLI on
/// a stopped server's data directory: the rules' actions and the cold tier's upkeep.
/// </summary>
public sealed record LifecycleRunResult(DateOnly Date, bool Resumed, LifecycleCounters Counters, int CopiesRestored, int CopiesExpired)
{
    /// <summary>Actions listed by a dry run at most.</summary>
    public const int MaxPlannedListed = 1000;

    /// <summary>Set by a dry run: nothing was done, these are the first actions a run would take.</summary>
    public IReadOnlyList<PlannedLifecycleAction>? Planned { get; init; }

    /// <summary>A dry run found more actions due than <see cref="Planned"/> lists.</summary>
    public bool PlannedTruncated { get; init; }

    /// <summary>What a run as of <paramref name="asOf"/> would do, doing nothing.</summary>
    public static async Task<LifecycleRunResult> PreviewAsync(LifecycleRunner runner, DateOnly? asOf, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var preview = await runner.PreviewAsync(asOf ?? runner.Today, MaxPlannedListed, ct).ConfigureAwait(false);
        return new LifecycleRunResult(preview.Date, false, preview.Counters, 0, 0) { Planned = preview.Actions, PlannedTruncated = preview.Truncated };
    }

    /// <summary>
    /// Runs the rules as of <paramref name="asOf"/> (default: the runner's today) now, then writes
    /// and expires restored copies.
    /// </summary>
    public static async Task<LifecycleRunResult> RunAsync(LifecycleRunner runner, ILifecycleStore store, DateOnly? asOf, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(store);
        var report = await runner.RunAsync(asOf ?? runner.Today, ct).ConfigureAwait(false);
        var upkeep = await store.MaintainColdTierAsync(ct).ConfigureAwait(false);
        return new LifecycleRunResult(report.Date, report.Resumed, report.Counters, upkeep.CopiesRestored, upkeep.CopiesExpired);
    }
}
