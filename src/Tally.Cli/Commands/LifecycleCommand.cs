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
/// <c>tally lifecycle run [--as-of DATE]</c>: runs the lifecycle rules now (a server also runs them
/// itself, once per day). A running server does it through its admin API; with no server, the
/// CLI does it on the data directory.
/// </summary>
internal static class LifecycleCommand
{
    public static Option<string?> ColdDir() =>
        new("--cold-dir") { HelpName = "DIR", Description = "Directory of the cold tier that lifecycle transitions move data to, e.g. on another disk (default: DATA/cold)" };

    public static Command Create()
    {
        var command = new Command("lifecycle", "Bucket lifecycle rules (expiration, transitions, incomplete uploads)");
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Status());
        return command;
    }

    private static Command Run()
    {
        var admin = new AdminConnectionOptions();
        var coldDir = ColdDir();
        var asOf = new Option<string?>("--as-of") { HelpName = "YYYY-MM-DD", Description = "Act as on this UTC date (YYYY-MM-DD); default: today. The daily schedule is left as it was" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list what the run would do (with --as-of: on that date); nothing is changed or logged" };
        var command = new Command("run", "Run the lifecycle rules of every bucket now: by the running server, or on the data directory when no server runs") { coldDir, asOf, dryRun };
        admin.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var dataDir = result.GetRequiredValue(admin.Data);
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

            if (result.GetValue(admin.Endpoint) is not null || await ServerIsRunningAsync(dataDir, ct))
            {
                var query = new List<string>();
                if (date is { } d)
                {
                    query.Add(string.Create(CultureInfo.InvariantCulture, $"as-of={d:yyyy-MM-dd}"));
                }

                if (result.GetValue(dryRun))
                {
                    query.Add("dry-run=true");
                }

                var path = "_tally/lifecycle/run" + (query.Count == 0 ? string.Empty : "?" + string.Join('&', query));
                return await admin.RunAsync(
                    result,
                    async client =>
                    {
                        Print((await client.SendAsync<LifecycleRunResult>(HttpMethod.Post, path, null, ct))!);
                        return 0;
                    },
                    Timeout.InfiniteTimeSpan);
            }

            if (!Directory.Exists(dataDir))
            {
                await Console.Error.WriteLineAsync($"error: no data directory at {dataDir}.");
                return 1;
            }

            Print(await RunOnDataDirectoryAsync(dataDir, result.GetValue(coldDir), date, result.GetValue(dryRun), ct));
            return 0;
        });
        return command;
    }

    private static Command Status() => AdminConnectionOptions.StatusCommand<LifecycleStatus>(
        "The running server's lifecycle: last daily run, next run, buckets with rules",
        "_tally/lifecycle/status",
        status =>
        {
            var compressed = status.CompressedDayLength is { } day ? string.Create(CultureInfo.InvariantCulture, $" (test timeline: a lifecycle day lasts {day.TotalSeconds:0.###} s)") : string.Empty;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lifecycle date {status.Today:yyyy-MM-dd}{compressed}, next daily run {status.NextRunAt:u}"));
            if (status.LastRun is { } run)
            {
                var state = run.Completed ? "completed" : $"in progress (at bucket {run.Bucket ?? "-"})";
                var c = run.Counters;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"last run {run.Date:yyyy-MM-dd} {state}: {c.VersionsVisited} versions visited, {c.Expired} expired, {c.DeleteMarkersCreated} delete markers, {c.Transitioned} transitioned, {c.NoncurrentExpired} noncurrent expired, {c.DeleteMarkersRemoved} markers removed, {c.UploadsAborted} uploads aborted"));
            }
            else
            {
                Console.WriteLine("no lifecycle run yet");
            }

            foreach (var bucket in status.Buckets)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {bucket.Bucket}: {bucket.EnabledRules} of {bucket.Rules} rules enabled"));
            }

            return 0;
        });

    /// <summary>
    /// A stopped server's data directory: the rules run here, and their S3.* records go into the
    /// access-log spool, delivered when the server next runs.
    /// </summary>
    private static async Task<LifecycleRunResult> RunOnDataDirectoryAsync(string dataDir, string? coldDir, DateOnly? date, bool dryRun, CancellationToken ct)
    {
        var time = TimeProvider.System;
        using var store = DiskObjectStore.Open(dataDir, time, coldDir);
        using var registry = new LoggingRegistry(store, store);
        await registry.ReloadAsync(ct);
        await using var spool = LogSpool.Open(new SpoolOptions { Directory = Path.Combine(dataDir, "spool") }, registry, time, NullLogger<LogSpool>.Instance);
        using var runner = new LifecycleRunner(store, store, store, new LifecycleProgressFile(Path.Combine(dataDir, "lifecycle", "progress.json")), new LifecycleRecords(spool, time), time);
        return dryRun ? await LifecycleRunResult.PreviewAsync(runner, date, ct) : await LifecycleRunResult.RunAsync(runner, store, date, ct);
    }

    private static void Print(LifecycleRunResult done)
    {
        var c = done.Counters;
        var dry = done.Planned is not null;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lifecycle {(dry ? "dry run" : "run")} as of {done.Date:yyyy-MM-dd}{(done.Resumed ? " (resumed)" : string.Empty)}{(dry ? ": nothing was changed" : string.Empty)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  buckets scanned         {c.BucketsScanned}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  versions visited        {c.VersionsVisited}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  expired                 {c.Expired}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  delete markers created  {c.DeleteMarkersCreated}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  transitioned            {c.Transitioned}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  noncurrent expired      {c.NoncurrentExpired}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  delete markers removed  {c.DeleteMarkersRemoved}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  uploads aborted         {c.UploadsAborted}"));
        if (!dry)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  restored copies written {done.CopiesRestored}, expired {done.CopiesExpired}"));
            return;
        }

        foreach (var action in done.Planned!)
        {
            var what = action.UploadId is { } upload ? $"upload {upload} of " : action.VersionId is { } version ? $"version {version} of " : string.Empty;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  would {action.Operation} {what}s3://{action.Bucket}/{action.Key} (rule {action.RuleId}, due {action.DueDate:yyyy-MM-dd})"));
        }

        if (done.PlannedTruncated)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and more (first {done.Planned!.Count} listed)"));
        }
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
