using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Delivery;
using Tally.AccessLogs.Records;
using Tally.Lifecycle.Configuration;
using Tally.Lifecycle.Execution;
using Tally.Storage.Disk;
using Tally.Storage.Model;

namespace Tally.Lifecycle.Tests.Execution;

/// <summary>
/// A real store, a real log spool with logging on for the source bucket, a fake clock and a
/// lifecycle runner over them; <see cref="RestartAsync"/> does what a process restart does.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public const string Owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
    public const string Bucket = "photos";
    public const string LogBucket = "logs";

    private readonly List<AccessLogRecord> _delivered = [];
    private LoggingRegistry _registry = null!;
    private LogSpool _spool = null!;

    private EngineHarness(DateTimeOffset start, LifecycleRunnerOptions options)
    {
        Directory = Path.Combine(Path.GetTempPath(), "tally-lifecycle-tests", Guid.NewGuid().ToString("N"));
        Time = new FakeTimeProvider(start);
        Options = options;
    }

    public string Directory { get; }

    public FakeTimeProvider Time { get; }

    public LifecycleRunnerOptions Options { get; set; }

    public DiskObjectStore Store { get; private set; } = null!;

    public LifecycleRunner Runner { get; private set; } = null!;

    /// <summary>Set to make the sink cancel a run after that many records (a kill in mid-scan).</summary>
    public Func<int, bool>? KillAfterRecord { get; set; }

    public CancellationTokenSource Kill { get; private set; } = new();

    public static async Task<EngineHarness> StartAsync(DateTimeOffset start, LifecycleRunnerOptions? options = null, bool logging = true)
    {
        var harness = new EngineHarness(start, options ?? new LifecycleRunnerOptions { PageSize = 10, ProgressSaveInterval = TimeSpan.Zero });
        await harness.OpenAsync();
        await harness.Store.CreateBucketAsync(new BucketInfo(Bucket, "111122223333", Owner, "us-east-1", start), CancellationToken.None);
        await harness.Store.CreateBucketAsync(new BucketInfo(LogBucket, "111122223333", Owner, "us-east-1", start), CancellationToken.None);
        if (logging)
        {
            var source = (await harness.Store.GetBucketAsync(Bucket, CancellationToken.None))!;
            await harness._registry.SetAsync(source, new LoggingConfiguration(LogBucket, "photos/"), (_, _) => Task.CompletedTask, CancellationToken.None);
        }

        return harness;
    }

    public Task PutRulesAsync(params string[] rules) =>
        new LifecycleSettings(Store).PutAsync(Bucket, LifecycleXml.Parse(rules), CancellationToken.None);

    public Task<ObjectInfo> PutAsync(string key, string text = "data", string bucket = Bucket) =>
        Store.PutObjectAsync(bucket, key, new MemoryStream(Encoding.UTF8.GetBytes(text)), new ObjectWrite(ObjectHeaders.Empty, Owner, new Dictionary<string, string>()), CancellationToken.None);

    public Task<ObjectInfo> PutAsync(string key, byte[] bytes) =>
        Store.PutObjectAsync(Bucket, key, new MemoryStream(bytes), new ObjectWrite(ObjectHeaders.Empty, Owner, new Dictionary<string, string>()), CancellationToken.None);

    public async Task<IReadOnlyList<string>> KeysAsync(string bucket = Bucket) =>
        (await Store.ListObjectsAsync(bucket, new ListObjectsQuery(string.Empty, null, null, 1000), CancellationToken.None)).Objects.Select(o => o.Key).ToList();

    public Task<LifecycleRunReport> RunAsync() => Runner.RunIfDueAsync(Kill.Token);

    /// <summary>Every access-log record the source bucket's log received so far (from the spool's sealed segments).</summary>
    public async Task<IReadOnlyList<AccessLogRecord>> LoggedAsync()
    {
        foreach (var segment in await _spool.SealAsync(Bucket, CancellationToken.None))
        {
            foreach (var line in await File.ReadAllLinesAsync(segment.DataPath))
            {
                _delivered.Add(AccessLogParser.Parse(line));
            }

            _spool.Release(segment, Time.GetUtcNow());
        }

        return _delivered;
    }

    /// <summary>Closes everything without finishing anything and opens it again on the same directory.</summary>
    public async Task RestartAsync()
    {
        _ = await LoggedAsync();
        await CloseAsync();
        Kill = new CancellationTokenSource();
        await OpenAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task OpenAsync()
    {
        Store = DiskObjectStore.Open(Path.Combine(Directory, "data"), Time);
        _registry = new LoggingRegistry(Store, Store);
        await _registry.ReloadAsync(CancellationToken.None);
        _spool = LogSpool.Open(new SpoolOptions { Directory = Path.Combine(Directory, "spool"), CommitWindow = TimeSpan.Zero }, _registry, Time, NullLogger<LogSpool>.Instance);
        var sink = new KillingSink(_spool, this);
        Runner = new LifecycleRunner(Store, Store, Store, new LifecycleProgressFile(Path.Combine(Directory, "lifecycle", "progress.json")), new LifecycleRecords(sink, Time), Time, Options);
    }

    private async Task CloseAsync()
    {
        Runner.Dispose();
        await _spool.DisposeAsync();
        _registry.Dispose();
        await Store.DisposeAsync();
        Kill.Dispose();
    }

    /// <summary>The real spool, and after the record that <see cref="KillAfterRecord"/> picks, the run is cancelled as a kill would stop it.</summary>
    private sealed class KillingSink(IAccessLogSink spool, EngineHarness harness) : IAccessLogSink
    {
        private int _written;

        public bool IsLogged(string bucket) => spool.IsLogged(bucket);

        public void Write(AccessLogRecord record)
        {
            spool.Write(record);
            if (harness.KillAfterRecord?.Invoke(Interlocked.Increment(ref _written)) == true)
            {
                harness.Kill.Cancel();
            }
        }
    }
}
