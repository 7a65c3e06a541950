using Tally.Lifecycle.Execution;
using Tally.Storage;

namespace Tally.Server.Admin;

/// <summary>
/// What one `tally lifecycle run` did, whether the running server did it (admin API) or the CLI on
/// a stopped server's data directory: the rules' actions and the cold tier's upkeep.
/// </summary>
public sealed record LifecycleRunResult(DateOnly Date, bool Resumed, LifecycleCounters Counters, int CopiesRestored, int CopiesExpired)
{
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
