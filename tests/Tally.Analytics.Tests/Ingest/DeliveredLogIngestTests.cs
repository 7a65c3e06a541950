using System.Text;
using Tally.Analytics.Ingest;
using Tally.Analytics.Warehouse;
using Tally.Storage.Disk;
using Tally.Storage.Model;

namespace Tally.Analytics.Tests.Ingest;

/// <summary>The server's pass over delivered log objects, on a real disk store and warehouse file.</summary>
public sealed class DeliveredLogIngestTests : IDisposable
{
    private const string Owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
    private readonly TestFiles _files = new();
    private readonly DiskObjectStore _store;
    private readonly string _warehousePath;
    private int _requests;

    public DeliveredLogIngestTests()
    {
        _store = DiskObjectStore.Open(Path.Combine(_files.Directory, "data"), TimeProvider.System);
        _warehousePath = LogWarehouse.PathFor(Path.Combine(_files.Directory, "data"));
    }

    public void Dispose()
    {
        _store.Dispose();
        _files.Dispose();
    }

    private string Lines(int count) => string.Concat(Enumerable.Range(0, count).Select(_ =>
        $"{Owner} src [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - {++_requests:X16} REST.GET.OBJECT k \"GET /src/k HTTP/1.1\" 200 - 10 10 7 2 \"-\" \"curl/8.0\" - host= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader src.s3.amazonaws.com TLSv1.2 - - us-east-1\n"));

    private async Task PutAsync(string bucket, string key, string text) =>
        await _store.PutObjectAsync(bucket, key, new MemoryStream(Encoding.UTF8.GetBytes(text)), new ObjectWrite(ObjectHeaders.Empty, Owner, new Dictionary<string, string>()), CancellationToken.None);

    private DeliveredLogIngest NewIngest() =>
        new(_store, _warehousePath, new WarehouseOptions { LockWait = TimeSpan.Zero }, new IngestOptions());

    [Fact]
    public async Task Each_pass_loads_only_new_log_objects_under_the_target_prefixes()
    {
        await _store.CreateBucketAsync(new BucketInfo("logs", "111122223333", Owner, "us-east-1", DateTimeOffset.UnixEpoch), CancellationToken.None);
        await PutAsync("logs", "src/2019-02-06-00-00-00-A", Lines(3));
        await PutAsync("logs", "other/2019-02-06-00-00-00-B", Lines(5));
        var ingest = NewIngest();
        LogTarget[] targets = [new("logs", "src/"), new("logs", "src/")];

        var first = await ingest.RunAsync(targets, CancellationToken.None);
        Assert.Equal((1, 3L), (first.FilesLoaded, first.LinesLoaded));

        var idle = await ingest.RunAsync(targets, CancellationToken.None);
        Assert.Equal((0, 1), (idle.FilesLoaded, idle.FilesSkipped));

        await PutAsync("logs", "src/2019-02-06-00-01-00-C", Lines(2));
        var second = await ingest.RunAsync(targets, CancellationToken.None);
        Assert.Equal((1, 2L), (second.FilesLoaded, second.LinesLoaded));

        using var warehouse = LogWarehouse.OpenReadOnly(_warehousePath);
        Assert.Equal(5, warehouse.Count("SELECT count(*) FROM access_logs"));
        Assert.Equal(2, warehouse.Count("SELECT count(*) FROM loaded_files WHERE file LIKE 's3://logs/src/%' AND version LIKE '\"%\"'"));
    }

    [Fact]
    public async Task A_new_pass_over_an_existing_warehouse_skips_what_an_earlier_process_loaded()
    {
        await _store.CreateBucketAsync(new BucketInfo("logs", "111122223333", Owner, "us-east-1", DateTimeOffset.UnixEpoch), CancellationToken.None);
        await PutAsync("logs", "a", Lines(4));
        await NewIngest().RunAsync([new LogTarget("logs", string.Empty)], CancellationToken.None);

        var restarted = await NewIngest().RunAsync([new LogTarget("logs", string.Empty)], CancellationToken.None);
        Assert.Equal((0, 1, 0L), (restarted.FilesLoaded, restarted.FilesSkipped, restarted.LinesLoaded));
    }

    [Fact]
    public async Task A_missing_target_bucket_is_reported_and_the_others_still_load()
    {
        await _store.CreateBucketAsync(new BucketInfo("logs", "111122223333", Owner, "us-east-1", DateTimeOffset.UnixEpoch), CancellationToken.None);
        await PutAsync("logs", "a", Lines(1));
        var summary = await NewIngest().RunAsync([new LogTarget("gone", "p/"), new LogTarget("logs", string.Empty)], CancellationToken.None);
        Assert.Equal(1, summary.FilesLoaded);
        var failure = Assert.Single(summary.Failures);
        Assert.Equal("s3://gone/p/", failure.File);
        Assert.Contains("NoSuchBucket", failure.Reason, StringComparison.Ordinal);
    }
}
