using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tally.AccessLogs.Delivery;
using Tally.Lifecycle.Configuration;
using Tally.Lifecycle.Evaluation;
using Tally.Lifecycle.Execution;
using Tally.Lifecycle.Restore;
using Tally.Server.Background;
using Tally.Storage;
using Tally.Storage.Disk;

namespace Tally.Server.Hosting;

/// <summary>Lifecycle (issue 7): configurations, calendar, restores, the runner and its background service.</summary>
public static class LifecycleRegistration
{
    public static IServiceCollection AddTallyLifecycle(this IServiceCollection services, TallyOptions options, DiskObjectStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var calendar = options.LifecycleDaySeconds is { } seconds
            ? LifecycleCalendar.Compressed(TimeSpan.FromSeconds(seconds), time.GetUtcNow())
            : LifecycleCalendar.Standard;
        services.AddSingleton(calendar);
        services.AddSingleton<ILifecycleStore>(store);
        services.AddSingleton(new LifecycleSettings(store));
        services.AddSingleton(new RestorePlanner(options.RestoreDelay, calendar, time));

        // Lifecycle's S3.* records go through the request path's sink (spec §2.5) when there is one.
        services.AddSingleton(provider => new LifecycleRunner(
            store,
            store,
            store,
            new LifecycleProgressFile(Path.Combine(options.DataDir, "lifecycle", "progress.json")),
            new LifecycleRecords(provider.GetService<IAccessLogSink>(), time),
            time,
            new LifecycleRunnerOptions { Calendar = calendar },
            provider.GetRequiredService<ILogger<LifecycleRunner>>()));
        services.AddHostedService<LifecycleService>();
        return services;
    }
}
