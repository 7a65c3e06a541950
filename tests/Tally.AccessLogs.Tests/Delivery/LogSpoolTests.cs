using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Delivery;
using Tally.AccessLogs.Records;
using Tally.Storage.Disk;
using Tally.Storage.Model;

namespace Tally.AccessLogs.Tests.Delivery;

/// <summary>The durable spool (DESIGN §3) on a real directory and a real store, with a fake clock for rolls.</summary>
public sealed class LogSpoolTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Start = new(2024, 3, 9, 23, 59, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("tally-spool").FullName;
    private readonly FakeTimeProvider _time = new(Start);
    private DiskObjectStore _store = null!;
    private LoggingRegistry _registry = null!;
    private BucketInfo _source = null!;

    private string SpoolDir => Path.Combine(_dir, "spool");

    public async Task InitializeAsync()
    {
        _store = DiskObjectStore.Open(Path.Combine(_dir, "data"), _time);
        _registry = new LoggingRegistry(_store, _store);
        _source = new BucketInfo("src", "123456789012", new string('a', 64), "us-east-1", Start);
        await _store.CreateBucketAsync(_source, CancellationToken.None);
        await _store.CreateBucketAsync(_source with { Name = "logs" }, CancellationToken.None);
        await _registry.SetAsync(_source, new LoggingConfiguration("logs", "p/"), (_, _) => Task.CompletedTask, CancellationToken.None);
    }

    public void Dispose() => _registry.Dispose();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Records_survive_a_reopen_and_are_sealed_under_a_key_fixed_at_sealing()
    {
        await using (var spool = Open())
        {
            for (var i = 0; i < 10; i++)
            {
                spool.Write(Record(i));
            }
        }

        await using var reopened = Open();
        var segment = Assert.Single(reopened.Sealed());
        Assert.Equal(10, segment.Records);
        Assert.Matches("^p/2024-03-09-23-59-00-[0-9A-F]{16}$", segment.Key);
        var lines = File.ReadAllLines(segment.DataPath);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"REQ{i:D13}"), lines.Select(l => AccessLogParser.Parse(l).RequestId));

        // A second recovery of the same sealed segment keeps its key (re-delivery overwrites).
        await reopened.DisposeAsync();
        await using var again = Open();
        Assert.Equal(segment.Key, Assert.Single(again.Sealed()).Key);
    }

    [Fact]
    public async Task A_torn_or_zero_filled_tail_is_cut_and_whole_lines_are_kept()
    {
        await using (var spool = Open())
        {
            spool.Write(Record(1));
            spool.Write(Record(2));
        }

        var data = Directory.EnumerateFiles(Path.Combine(SpoolDir, "src"), "*.log").Single();
        var whole = File.ReadAllBytes(data);
        var line = Encoding.UTF8.GetBytes(AccessLogFormatter.Format(Record(3)));
        await File.AppendAllTextAsync(data, Encoding.UTF8.GetString(line[..40]));
        await using (var stream = new FileStream(data, FileMode.Append))
        {
            stream.Write(new byte[100]);
            stream.Write("\n"u8);
        }

        await using var reopened = Open();
        var segment = Assert.Single(reopened.Sealed());
        Assert.Equal(2, segment.Records);
        Assert.Equal(whole, File.ReadAllBytes(segment.DataPath));
    }

    [Fact]
    public async Task Segments_roll_by_size_without_splitting_a_record()
    {
        var size = Encoding.UTF8.GetByteCount(AccessLogFormatter.Format(Record(0))) + 1;
        await using var spool = Open(o => o with { RollBytes = size * 3 });
        for (var i = 0; i < 7; i++)
        {
            spool.Write(Record(i));
        }

        var sealedSegments = await spool.SealAsync(null, CancellationToken.None);
        Assert.Equal([3L, 3L, 1L], sealedSegments.Select(s => s.Records));
        Assert.All(sealedSegments, s => Assert.True(new FileInfo(s.DataPath).Length <= size * 3));
        Assert.Equal(7, sealedSegments.Sum(s => File.ReadAllLines(s.DataPath).Length));
        Assert.Equal(3, sealedSegments.Select(s => s.Key).Distinct().Count());
    }

    [Fact]
    public async Task Segments_roll_by_age_on_the_clock()
    {
        await using var spool = Open(o => o with { RollAge = TimeSpan.FromSeconds(60) });
        spool.Write(Record(1));
        await spool.SealAsync("other-bucket", CancellationToken.None);
        Assert.Empty(spool.Sealed());

        _time.Advance(TimeSpan.FromSeconds(61));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await spool.WaitForSealedAsync(timeout.Token);
        Assert.Single(spool.Sealed());
    }

    [Fact]
    public async Task Partitioned_event_time_segments_hold_one_utc_day_each()
    {
        await _registry.SetAsync(_source, new LoggingConfiguration("logs", "p/", null, new TargetObjectKeyFormat(true)), (_, _) => Task.CompletedTask, CancellationToken.None);
        await using var spool = Open();
        spool.Write(Record(1, Start));
        spool.Write(Record(2, Start.AddMinutes(2)));
        spool.Write(Record(3, Start.AddSeconds(30)));

        var sealedSegments = await spool.SealAsync("src", CancellationToken.None);
        Assert.Equal(2, sealedSegments.Count);
        var keys = sealedSegments.Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Matches("^p/123456789012/us-east-1/src/2024/03/09/2024-03-09-00-00-00-[0-9A-F]{16}$", keys[0]);
        Assert.Matches("^p/123456789012/us-east-1/src/2024/03/10/2024-03-10-00-00-00-[0-9A-F]{16}$", keys[1]);
        Assert.Equal(2, sealedSegments.Single(s => s.Key == keys[0]).Records);
    }

    [Fact]
    public async Task A_configuration_change_starts_a_new_segment_for_the_new_destination()
    {
        await using var spool = Open();
        spool.Write(Record(1));
        await spool.SealAsync("nothing", CancellationToken.None);
        await _registry.SetAsync(_source, new LoggingConfiguration("logs", "q/"), (_, _) => Task.CompletedTask, CancellationToken.None);
        spool.Write(Record(2));

        var sealedSegments = await spool.SealAsync("src", CancellationToken.None);
        Assert.Equal(["p/", "q/"], sealedSegments.Select(s => s.Key[..2]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_full_queue_drops_and_counts_instead_of_blocking()
    {
        await using var spool = Open(o => o with { QueueCapacity = 1, CommitWindow = TimeSpan.FromSeconds(5) });
        for (var i = 0; i < 1000; i++)
        {
            spool.Write(Record(i));
        }

        var status = spool.Status();
        Assert.True(status.RecordsDropped > 0, "some records were dropped");
        var bucket = Assert.Single(status.Buckets);
        Assert.Equal(status.RecordsDropped, bucket.RecordsDropped);
        Assert.True(status.QueueLength <= 1);
    }

    [Fact]
    public async Task Records_of_buckets_without_logging_are_not_spooled()
    {
        await using var spool = Open();
        spool.Write(Record(1) with { Bucket = "unlogged" });
        Assert.False(spool.IsLogged("unlogged"));
        Assert.Empty(await spool.SealAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task Delivery_puts_each_segment_once_under_its_key_and_releases_it()
    {
        await using var spool = Open();
        using var worker = new LogDeliveryWorker(spool, _registry, _store, new SameOwnerDeliveryAuthorizer(), _time, NullLogger<LogDeliveryWorker>.Instance);
        spool.Write(Record(1));
        spool.Write(Record(2));

        var report = await worker.FlushAsync("src", CancellationToken.None);
        var delivered = Assert.Single(report.Delivered);
        Assert.Equal(2, delivered.Records);
        await using var read = await _store.GetObjectAsync("logs", delivered.Key, CancellationToken.None);
        using var reader = new StreamReader(read.Content);
        Assert.Equal(2, (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(_source.OwnerCanonicalId, read.Info.OwnerCanonicalId);
        Assert.Empty(spool.Sealed());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(SpoolDir, "src")));
        Assert.Equal(0, spool.Status().Buckets.Single().RecordsPending);
    }

    [Fact]
    public async Task A_denied_delivery_keeps_the_segment_and_reports_the_denying_statement()
    {
        await using var spool = Open();
        var authorizer = new SwitchableAuthorizer();
        using var worker = new LogDeliveryWorker(spool, _registry, _store, authorizer, _time, NullLogger<LogDeliveryWorker>.Instance);
        spool.Write(Record(1));

        authorizer.Denied = true;
        var blocked = await worker.FlushAsync("src", CancellationToken.None);
        Assert.Empty(blocked.Delivered);
        var status = spool.Status().Buckets.Single();
        Assert.Equal("denied by statement DenyAll of bucket logs", status.LastError);
        Assert.Equal(_time.GetUtcNow().AddSeconds(1), status.NextAttemptAt);
        Assert.Equal(1, status.RecordsPending);

        // Not due yet: the background pass skips it; after the backoff it is retried.
        authorizer.Denied = false;
        Assert.Empty((await worker.DeliverAsync(null, ignoreBackoff: false, CancellationToken.None)).Delivered);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single((await worker.DeliverAsync(null, ignoreBackoff: false, CancellationToken.None)).Delivered);
        Assert.Null(spool.Status().Buckets.Single().LastError);
    }

    private LogSpool Open(Func<SpoolOptions, SpoolOptions>? configure = null)
    {
        var options = new SpoolOptions { Directory = SpoolDir, CommitWindow = TimeSpan.Zero };
        return LogSpool.Open(configure?.Invoke(options) ?? options, _registry, _time, NullLogger<LogSpool>.Instance);
    }

    private AccessLogRecord Record(int i, DateTimeOffset? time = null) => new()
    {
        BucketOwner = _source.OwnerCanonicalId,
        Bucket = "src",
        Time = time ?? Start,
        RemoteIp = "192.0.2.1",
        Requester = _source.OwnerCanonicalId,
        RequestId = $"REQ{i:D13}",
        Operation = "REST.GET.OBJECT",
        Key = $"key/{i}",
        RequestUri = $"GET /src/key/{i} HTTP/1.1",
        HttpStatus = 200,
        BytesSent = 10,
        ObjectSize = 10,
        TotalTime = 1,
        TurnAroundTime = 1,
        Referer = AccessLogRecord.AbsentHeader,
        UserAgent = "test",
        HostId = "host",
        SignatureVersion = "SigV4",
        AuthenticationType = "AuthHeader",
        HostHeader = "localhost",
    };

    private sealed class SwitchableAuthorizer : ILogDeliveryAuthorizer
    {
        public bool Denied { get; set; }

        public Task<LogDeliveryDecision> AuthorizeAsync(BucketInfo source, BucketInfo target, string key, CancellationToken ct) =>
            Task.FromResult(Denied ? LogDeliveryDecision.Deny("DenyAll", $"denied by statement DenyAll of bucket {target.Name}") : LogDeliveryDecision.Allow);

        public Task<bool> AclsDisabledAsync(BucketInfo target, CancellationToken ct) => Task.FromResult(true);
    }
}
