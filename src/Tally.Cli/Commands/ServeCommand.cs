using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tally.Lifecycle.Restore;
using Tally.Security.Credentials;
using Tally.Server.Hosting;

namespace Tally.Cli.Commands;

/// <summary>`tally serve`: run the S3 endpoint on the embedded store (files on disk + SQLite).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var listen = new Option<string>("--listen") { HelpName = "IP:PORT", Description = "IP:port to listen on", DefaultValueFactory = _ => "127.0.0.1:9000" };
        var region = new Option<string>("--region") { HelpName = "REGION", Description = "Default region (buckets without a LocationConstraint)", DefaultValueFactory = _ => "us-east-1" };
        var regions = new Option<string?>("--regions") { HelpName = "REGION,…", Description = "Comma-separated regions this server hosts" };
        var domain = new Option<string?>("--domain") { HelpName = "DOMAIN", Description = "Base domain for virtual-hosted-style requests (BUCKET.DOMAIN)" };
        var tlsCert = new Option<string?>("--tls-cert") { HelpName = "FILE", Description = "PEM certificate: serve HTTPS" };
        var tlsKey = new Option<string?>("--tls-key") { HelpName = "FILE", Description = "PEM private key for --tls-cert" };
        var logLevel = new Option<LogLevel>("--log-level") { HelpName = "LEVEL", Description = "Server log level (Trace, Debug, Information, Warning, Error)", DefaultValueFactory = _ => LogLevel.Warning };

        var accessLogFields = new Option<int>("--access-log-fields") { HelpName = "26|27", Description = "Fields per access-log line: 27 (current AWS layout) or 26 (without Source region)", DefaultValueFactory = _ => 27 };
        var logCommitMs = new Option<int>("--log-commit-ms") { HelpName = "MS", Description = "Access-log group-commit window in ms (records lost on a hard kill at most this window; 0 = fsync every record)", DefaultValueFactory = _ => 50 };
        var logRollSeconds = new Option<int>("--log-roll-seconds") { HelpName = "SECONDS", Description = "Deliver a log object at most this many seconds after its first record", DefaultValueFactory = _ => 60 };
        var logRollBytes = new Option<long>("--log-roll-bytes") { HelpName = "BYTES", Description = "Deliver a log object before it grows past this many bytes", DefaultValueFactory = _ => 5L * 1024 * 1024 };
        var logQueueRecords = new Option<int>("--log-queue-records") { HelpName = "N", Description = "Access-log records waiting for the spool at most (memory bound; beyond it records are dropped and reported)", DefaultValueFactory = _ => 65_536 };

        var coldDir = LifecycleCommand.ColdDir();
        var lifecycleDaySeconds = new Option<double?>("--lifecycle-day-seconds") { HelpName = "SECONDS", Description = "Make one lifecycle day last this many seconds (testing lifecycle rules, as Ceph's debug interval)" };
        var restoreDelaySeconds = new Option<double?>("--restore-delay-seconds") { HelpName = "SECONDS", Description = "Seconds a Standard-tier RestoreObject takes before the restored copy is readable (default 60); the tiers not set by --restore-delays scale from it" };
        var restoreDelays = new Option<string?>("--restore-delays") { HelpName = "TIER=SECONDS,…", Description = "Restore delay in seconds per tier, any subset: Expedited=S,Standard=S,Bulk=S,DeepArchiveStandard=S,DeepArchiveBulk=S (defaults 10, 60, 300, 144, 1200: Expedited = Standard/6, Bulk = Standard*5, DEEP_ARCHIVE Standard*2.4 and Bulk*4; DEEP_ARCHIVE has no Expedited)" };

        var command = new Command("serve", "Run the S3 endpoint") { data, listen, region, regions, domain, tlsCert, tlsKey, logLevel, accessLogFields, logCommitMs, logRollSeconds, logRollBytes, logQueueRecords };
        command.Options.Add(coldDir);
        command.Options.Add(lifecycleDaySeconds);
        command.Options.Add(restoreDelaySeconds);
        command.Options.Add(restoreDelays);
        command.SetAction(async (result, ct) =>
        {
            RestoreDelays delays;
            try
            {
                delays = RestoreDelays.Parse(result.GetValue(restoreDelays), result.GetValue(restoreDelaySeconds) is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"error: --restore-delays / --restore-delay-seconds: {e.Message}.");
                return 2;
            }

            var options = new TallyOptions
            {
                DataDir = result.GetRequiredValue(data),
                Listen = result.GetRequiredValue(listen),
                Region = result.GetRequiredValue(region),
                Regions = (result.GetValue(regions) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Domain = result.GetValue(domain),
                TlsCertificatePath = result.GetValue(tlsCert),
                TlsKeyPath = result.GetValue(tlsKey),
                AccessLogFields = result.GetValue(accessLogFields),
                LogCommitWindow = TimeSpan.FromMilliseconds(result.GetValue(logCommitMs)),
                LogRollAge = TimeSpan.FromSeconds(result.GetValue(logRollSeconds)),
                LogRollBytes = result.GetValue(logRollBytes),
                LogQueueCapacity = result.GetValue(logQueueRecords),
                ColdDir = result.GetValue(coldDir),
                LifecycleDaySeconds = result.GetValue(lifecycleDaySeconds),
                RestoreDelays = delays,
            };
            if ((options.TlsCertificatePath is null) != (options.TlsKeyPath is null))
            {
                await Console.Error.WriteLineAsync("error: --tls-cert and --tls-key go together.");
                return 2;
            }

            if (options.AccessLogFields is not (26 or 27) || result.GetValue(logCommitMs) < 0 || result.GetValue(logRollSeconds) < 1 || options.LogRollBytes < 1024 || options.LogQueueCapacity < 1)
            {
                await Console.Error.WriteLineAsync("error: --access-log-fields is 26 or 27; --log-commit-ms >= 0; --log-roll-seconds >= 1; --log-roll-bytes >= 1024; --log-queue-records >= 1.");
                return 2;
            }

            if (options.LifecycleDaySeconds is <= 0)
            {
                await Console.Error.WriteLineAsync("error: --lifecycle-day-seconds > 0.");
                return 2;
            }

            Directory.CreateDirectory(options.DataDir);

            // A request waiting on disk holds a pool thread; the pool's default minimum (one per
            // core) grows too slowly for 32+ concurrent PUTs, so start with enough threads.
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(workers, 128), Math.Max(io, 128));
            var level = result.GetValue(logLevel);
            Microsoft.AspNetCore.Builder.WebApplication app;
            try
            {
                app = TallyHost.Build(options, logging: logs => logs.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(level));
            }
            catch (Exception e) when (IsStartupError(e))
            {
                await Console.Error.WriteLineAsync("error: " + e.Message);
                return 1;
            }

            await using var running = app;
            try
            {
                await app.StartAsync(ct);
            }
            catch (Exception e) when (IsStartupError(e))
            {
                // The message says what to fix (port in use, bad --listen, unreadable TLS files, bad root keys).
                // Stop first: background services that started must end before their services are disposed.
                await app.StopAsync(CancellationToken.None);
                await Console.Error.WriteLineAsync("error: " + e.Message);
                return 1;
            }

            var root = app.Services.GetRequiredService<CredentialStore>().Root;
            Console.WriteLine($"Tally is listening on {TallyHost.BoundAddress(app)} (data: {Path.GetFullPath(options.DataDir)}, regions: {string.Join(',', options.HostedRegions)})");
            Console.WriteLine($"Root user: access key {root.Root.AccessKeyId}, account {root.Root.Identity.AccountId}, canonical id {root.Root.Identity.CanonicalUserId}");
            if (root.ShouldReportKeys)
            {
                Console.WriteLine($"Generated root secret key (shown once, saved in the data dir): {root.Root.SecretAccessKey}");
            }
            else
            {
                Console.WriteLine(root.Source == RootKeySource.Environment
                    ? "Root keys come from TALLY_ROOT_ACCESS_KEY / TALLY_ROOT_SECRET_KEY."
                    : "Root keys were generated on first start and are saved in the data dir.");
            }

            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }

    private static bool IsStartupError(Exception e) =>
        e is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException;
}
