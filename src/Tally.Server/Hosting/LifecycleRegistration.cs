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
            ? LifecycleCalendar.Compressed(TimeSpan.FromSeconds(seconds), CompressedAnchor(options.DataDir, time))
            : LifecycleCalendar.Standard;
        services.AddSingleton(calendar);
        services.AddSingleton<ILifecycleStore>(store);
        services.AddSingleton(new LifecycleSettings(store));
        services.AddSingleton(new RestorePlanner(options.RestoreDelays, calendar, time));

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

    /// <summary>
    /// Where a compressed timeline starts, kept in the data directory so that a restart continues
    /// the same lifecycle dates (the runner's saved progress counts on them).
    /// </summary>
    private static DateTimeOffset CompressedAnchor(string dataDir, TimeProvider time)
    {
        var path = Path.Combine(dataDir, "lifecycle", "compressed-anchor");
        if (File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ms))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        var now = time.GetUtcNow();
        _ = Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        return now;
    }
}
