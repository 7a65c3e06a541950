using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Delivery;
using Tally.Lifecycle.Execution;
using Tally.Server.Admin;
using Tally.Storage.Disk;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally lifecycle run [--as-of DATE]</c>: runs the lifecycle rules now on a data directory
/// whose server is stopped (a running server runs them itself, once per day). Its S3.* records go
/// into the access-log spool and are delivered when the server next runs.
/// </summary>
internal static class LifecycleCommand
{
    public static Option<string?> ColdDir() =>
        new("--cold-dir") { Description = "Directory of the cold tier that lifecycle transitions move data to, e.g. on another disk (default: DATA/cold)" };

    public static Command Create()
    {
        var command = new Command("lifecycle", "Bucket lifecycle rules (expiration, transitions, incomplete uploads)");
        command.Subcommands.Add(Run());
        return command;
    }

    private static Command Run()
    {
        var data = CommonOptions.Data();
        var coldDir = ColdDir();
        var asOf = new Option<string?>("--as-of") { Description = "Act as on this UTC date (YYYY-MM-DD), e.g. to see what a rule will do; default: today" };
        var command = new Command("run", "Run the lifecycle rules of every bucket now (the server must be stopped)") { data, coldDir, asOf };
        command.SetAction(async (result, ct) =>
        {
            var dataDir = result.GetRequiredValue(data);
            DateOnly? date = null;
            if (result.GetValue(asOf) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    await Console.Error.WriteLineAsync($"error: --as-of expects YYYY-MM-DD (got '{text}').");
                    return 2;
                }

                date = parsed;
            }

            if (!Directory.Exists(dataDir))
            {
                await Console.Error.WriteLineAsync($"error: no data directory at {dataDir}.");
                return 1;
            }

            if (await ServerIsRunningAsync(dataDir, ct))
            {
                await Console.Error.WriteLineAsync($"error: a server is running on {dataDir}; it runs lifecycle itself each day. Stop it to run lifecycle now.");
                return 1;
            }

            var time = TimeProvider.System;
            using var store = DiskObjectStore.Open(dataDir, time, result.GetValue(coldDir));
            using var registry = new LoggingRegistry(store, store);
            await registry.ReloadAsync(ct);
            await using var spool = LogSpool.Open(new SpoolOptions { Directory = Path.Combine(dataDir, "spool") }, registry, time, NullLogger<LogSpool>.Instance);

            // A run as of another date keeps its own progress, so the server's daily schedule is untouched.
            var progress = Path.Combine(dataDir, "lifecycle", date is null ? "progress.json" : "as-of.json");
            using var runner = new LifecycleRunner(store, store, store, new LifecycleProgressFile(progress), new LifecycleRecords(spool, time), time);
            var report = await runner.RunAsync(date ?? runner.Today, ct);
            var upkeep = await store.MaintainColdTierAsync(ct);
            var c = report.Counters;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lifecycle run as of {report.Date:yyyy-MM-dd}{(report.Resumed ? " (resumed)" : string.Empty)}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  buckets scanned         {c.BucketsScanned}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  versions visited        {c.VersionsVisited}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  expired                 {c.Expired}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  delete markers created  {c.DeleteMarkersCreated}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  transitioned            {c.Transitioned}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  noncurrent expired      {c.NoncurrentExpired}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  delete markers removed  {c.DeleteMarkersRemoved}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  uploads aborted         {c.UploadsAborted}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  restored copies written {upkeep.CopiesRestored}, expired {upkeep.CopiesExpired}"));
            return 0;
        });
        return command;
    }

    /// <summary>Whether the endpoint recorded in DATA/admin.json accepts connections.</summary>
    private static async Task<bool> ServerIsRunningAsync(string dataDir, CancellationToken ct)
    {
        var path = Path.Combine(dataDir, AdminToken.FileName);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            var file = JsonSerializer.Deserialize<AdminToken.AdminFile>(await File.ReadAllBytesAsync(path, ct));
            if (file?.Endpoint is not { } endpoint || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            {
                return false;
            }

            using var tcp = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await tcp.ConnectAsync(uri.Host, uri.Port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is JsonException or UnauthorizedAccessException or SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
