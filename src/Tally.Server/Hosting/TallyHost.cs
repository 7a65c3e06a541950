using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tally.Server.Admin;
using Tally.Server.Pipeline;

namespace Tally.Server.Hosting;

/// <summary>Builds the Tally web host: Kestrel on the given address, the capture middleware, the S3 dispatcher.</summary>
public static class TallyHost
{
    /// <summary>S3's single-PUT limit is 5 GiB; Kestrel's default (30 MB) would cut uploads off.</summary>
    private const long MaxRequestBodyBytes = 5L * 1024 * 1024 * 1024 + 64 * 1024 * 1024;

    public static WebApplication Build(TallyOptions options, TimeProvider? time = null, Action<ILoggingBuilder>? logging = null)
    {
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            logging(builder.Logging);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            var endpoint = ParseListen(options.Listen);
            kestrel.Listen(endpoint, listen =>
            {
                if (options.TlsCertificatePath is not null)
                {
                    listen.UseHttps(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(options.TlsCertificatePath, options.TlsKeyPath));
                }
            });
        });

        builder.Services.AddTallyServices(options, time);
        var app = builder.Build();

        // The admin API is not S3: mapped before the capture, so it is never access-logged (STYLE §2.4).
        app.Map(AdminEndpoints.PathBase, admin => admin.UseTallyAdmin());
        app.UseMiddleware<AccessLogCaptureMiddleware>();
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<AdminToken>().Publish(BoundAddress(app)));
        var dispatcher = app.Services.GetRequiredService<S3Dispatcher>();
        app.Run(dispatcher.HandleAsync);
        return app;
    }

    /// <summary>The URL the server listens on once started (resolves port 0).</summary>
    public static Uri BoundAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }

    public static IPEndPoint ParseListen(string listen)
    {
        if (!IPEndPoint.TryParse(listen, out var endpoint) || endpoint.Port == 0 && !listen.EndsWith(":0", StringComparison.Ordinal))
        {
            throw new ArgumentException($"--listen expects host:port with an IP address, e.g. 127.0.0.1:9000 (got '{listen}').", nameof(listen));
        }

        return endpoint;
    }
}
