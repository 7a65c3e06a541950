using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tally.Lifecycle.Execution;
using Tally.Storage;

namespace Tally.Server.Background;

/// <summary>
/// The host's shell around <see cref="LifecycleRunner"/>: runs lifecycle once per lifecycle day
/// (at its midnight; every <c>--lifecycle-day-seconds</c> when days are compressed), resuming an
/// interrupted run at start, and keeps the cold tier up to date (restored copies written and
/// expired) every <see cref="UpkeepInterval"/>.
/// </summary>
public sealed partial class LifecycleService(LifecycleRunner runner, ILifecycleStore store, TimeProvider time, ILogger<LifecycleService> logger) : BackgroundService
{
    public static readonly TimeSpan UpkeepInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _ = await runner.RunIfDueAsync(stoppingToken);
                _ = await store.MaintainColdTierAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass is reported and retried; the service must outlive it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogPassFailed(logger, e);
            }

            var now = time.GetUtcNow();
            var wait = runner.Calendar.NextMidnight(now) - now;
            try
            {
                await Task.Delay(wait < UpkeepInterval ? wait : UpkeepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Lifecycle pass failed; retrying")]
    private static partial void LogPassFailed(ILogger logger, Exception error);
}
