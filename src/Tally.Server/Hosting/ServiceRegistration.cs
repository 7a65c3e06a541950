using Microsoft.Extensions.DependencyInjection;
using Tally.Security.Credentials;
using Tally.Server.Pipeline;
using Tally.Storage.Disk;

namespace Tally.Server.Hosting;

/// <summary>The composition root's one list of services.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddTallyServices(this IServiceCollection services, TallyOptions options, TimeProvider time)
    {
        var store = DiskObjectStore.Open(options.DataDir, time);
        var credentials = CredentialStore.Open(options.DataDir, options.Environment, time);
        services.AddSingleton(time);
        services.AddSingleton(options);
        services.AddSingleton(store);
        services.AddSingleton(credentials);
        services.AddSingleton(new TallyServices(store, store, time, options));
        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<S3Dispatcher>();
        return services;
    }
}
