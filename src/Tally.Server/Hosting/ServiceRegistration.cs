using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Delivery;
using Tally.Lifecycle.Configuration;
using Tally.Security.Credentials;
using Tally.Server.Admin;
using Tally.Server.Background;
using Tally.Server.Operations.Access;
using Tally.Server.Operations.Logging;
using Tally.Server.Pipeline;
using Tally.Storage.Disk;

namespace Tally.Server.Hosting;

/// <summary>The composition root's one list of services.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddTallyServices(this IServiceCollection services, TallyOptions options, TimeProvider time)
    {
        var store = DiskObjectStore.Open(options.DataDir, time, options.ColdDir);
        var credentials = CredentialStore.Open(options.DataDir, options.Environment, time);
        services.AddSingleton(time);
        services.AddSingleton(options);
        services.AddSingleton(store);
        services.AddSingleton(credentials);
        services.AddSingleton(new TallyServices(store, store, time, options));
        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<S3Dispatcher>();
        services.AddTallyAccessLogs(options, store, time);
        services.AddTallyLifecycle(options, store, time);
        return services;
    }

    /// <summary>Access logging (DESIGN §2–§3): configurations, the durable spool as the sink, delivery, admin API.</summary>
    public static IServiceCollection AddTallyAccessLogs(this IServiceCollection services, TallyOptions options, DiskObjectStore store, TimeProvider time)
    {
        // Loaded before the first request, so no logged bucket's first requests are missed.
        var registry = new LoggingRegistry(store, store);
        registry.ReloadAsync(CancellationToken.None).GetAwaiter().GetResult();
        services.AddSingleton(registry);
        services.AddSingleton<ILogDeliveryAuthorizer>(new PolicyLogDeliveryAuthorizer(store, time));
        services.AddSingleton(provider => LogSpool.Open(
            new SpoolOptions
            {
                Directory = Path.Combine(options.DataDir, "spool"),
                FieldCount = options.AccessLogFields,
                CommitWindow = options.LogCommitWindow,
                RollAge = options.LogRollAge,
                RollBytes = options.LogRollBytes,
                QueueCapacity = options.LogQueueCapacity,
            },
            registry,
            time,
            provider.GetRequiredService<ILogger<LogSpool>>()));
        services.AddSingleton<IAccessLogSink>(provider => provider.GetRequiredService<LogSpool>());
        services.AddSingleton(provider => new LoggingGuardRails(store, registry, provider.GetRequiredService<ILogDeliveryAuthorizer>()));
        services.AddSingleton(provider => new LogDeliveryWorker(
            provider.GetRequiredService<LogSpool>(),
            registry,
            store,
            provider.GetRequiredService<ILogDeliveryAuthorizer>(),
            time,
            provider.GetRequiredService<ILogger<LogDeliveryWorker>>(),
            // Log objects' ACLs (TargetGrants, spec §5.3) are stored as the access model's own ACL documents.
            LogObjectAclDocument.Serialize));
        services.AddSingleton(provider => new LoggingSetup(store, store, registry, provider.GetRequiredService<LoggingGuardRails>(), provider.GetRequiredService<LifecycleSettings>(), time));
        services.AddSingleton(new CompletionBarrier(time));
        services.AddSingleton(AdminToken.LoadOrCreate(options.DataDir));
        services.AddHostedService<LogDeliveryService>();
        services.AddSingleton<WarehouseIngestService>().AddHostedService(provider => provider.GetRequiredService<WarehouseIngestService>());
        return services;
    }
}
