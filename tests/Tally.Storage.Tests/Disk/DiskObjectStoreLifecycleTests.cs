using System.Text;
using Tally.Core.Errors;
using Tally.Storage.Disk;
using Tally.Storage.Model;

namespace Tally.Storage.Tests.Disk;

/// <summary>Lifecycle's part of the store: conditional actions, the cold tier, restores.</summary>
public sealed class DiskObjectStoreLifecycleTests : IAsyncLifetime, IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly StoreFixture _f = new();

    private string ColdDirectory => Path.Combine(_f.DataDirectory, "cold");

    public Task InitializeAsync() => _f.CreateBucketAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Transition_moves_the_bytes_to_the_cold_directory_compressed_and_GET_reads_them_back()
    {
        var text = string.Concat(Enumerable.Repeat("GET /bucket/key HTTP/1.1 200 OK\n", 4000));
        _ = await _f.PutAsync("logs/a", text);
        Assert.Single(_f.DataFiles());

        var moved = await _f.Store.TransitionVersionAsync(await LatestAsync("logs/a"), "STANDARD_IA", None);

        Assert.Equal("STANDARD_IA", moved!.StorageClass);
        Assert.Empty(_f.DataFiles());
        var cold = ColdFiles();
        var coldFile = Assert.Single(cold);
        Assert.True(new FileInfo(coldFile).Length < text.Length / 10, "log text compresses well");
        Assert.Equal(text, await _f.ReadTextAsync("logs/a"));
        Assert.Equal("STANDARD_IA", (await _f.Store.HeadObjectAsync("bucket", "logs/a", None)).StorageClass);
        Assert.Equal("STANDARD_IA", (await _f.Store.ListObjectsAsync("bucket", new ListObjectsQuery("", null, null, 10), None)).Objects.Single().StorageClass);
        Assert.Equal((1L, new FileInfo(coldFile).Length), await _f.Store.GetColdTierUsageAsync(None));
    }

    [Fact]
    public async Task Cold_stream_seeks_for_ranged_reads()
    {
        var bytes = Enumerable.Range(0, 1_000_000).Select(i => (byte)(i % 251)).ToArray();
        _ = await _f.Store.PutObjectAsync("bucket", "big", StoreFixture.Body(bytes), StoreFixture.Write(), None);
        _ = await _f.Store.TransitionVersionAsync(await LatestAsync("big"), "GLACIER_IR", None);

        await using var read = await _f.Store.GetObjectAsync("bucket", "big", None);
        Assert.True(read.Content.CanSeek);
        Assert.Equal(bytes.Length, read.Content.Length);
        var buffer = new byte[100];
        foreach (var offset in new[] { 999_900L, 12_345L, 0L, 500_000L })
        {
            read.Content.Seek(offset, SeekOrigin.Begin);
            await read.Content.ReadExactlyAsync(buffer);
            Assert.Equal(bytes.AsSpan((int)offset, 100).ToArray(), buffer);
        }
    }

    [Fact]
    public async Task Archived_object_is_unreadable_until_restored_then_readable_until_the_copy_expires()
    {
        _ = await _f.PutAsync("old", "archived text");
        _ = await _f.Store.TransitionVersionAsync(await LatestAsync("old"), "GLACIER", None);

        var denied = await Assert.ThrowsAsync<S3Exception>(() => _f.ReadTextAsync("old"));
        Assert.Equal(S3Errors.InvalidObjectState, denied.Error);
        Assert.Equal("GLACIER", denied.Details["StorageClass"]);
        Assert.Equal("GLACIER", (await _f.Store.HeadObjectAsync("bucket", "old", None)).StorageClass);
        Assert.Null(await _f.Store.GetRestoreStatusAsync("bucket", "old", null, None));

        var now = _f.Time.GetUtcNow();
        var request = new RestoreRequest(2, "Standard", now.AddHours(4), now.AddDays(3), now.AddDays(2));
        Assert.Equal(RestoreOutcome.Started, await _f.Store.RestoreObjectAsync("bucket", "old", null, request, None));
        Assert.Equal(RestoreOutcome.AlreadyInProgress, await _f.Store.RestoreObjectAsync("bucket", "old", null, request, None));
        var status = await _f.Store.GetRestoreStatusAsync("bucket", "old", null, None);
        Assert.True(status!.IsOngoing(_f.Time.GetUtcNow()));
        Assert.Equal(S3Errors.InvalidObjectState, (await Assert.ThrowsAsync<S3Exception>(() => _f.ReadTextAsync("old"))).Error);

        _f.Time.Advance(TimeSpan.FromHours(4));
        Assert.False((await _f.Store.GetRestoreStatusAsync("bucket", "old", null, None))!.IsOngoing(_f.Time.GetUtcNow()));
        Assert.Equal("archived text", await _f.ReadTextAsync("old"));
        Assert.Equal(new ColdTierUpkeep(1, 0, 0), await _f.Store.MaintainColdTierAsync(None));
        Assert.Single(Directory.GetFiles(Path.Combine(_f.DataDirectory, "restored")));
        Assert.Equal("archived text", await _f.ReadTextAsync("old"));

        var later = _f.Time.GetUtcNow();
        var extend = new RestoreRequest(5, "Bulk", later.AddHours(12), later.AddDays(6), later.AddDays(5));
        Assert.Equal(RestoreOutcome.Extended, await _f.Store.RestoreObjectAsync("bucket", "old", null, extend, None));
        Assert.Equal(later.AddDays(5), (await _f.Store.GetRestoreStatusAsync("bucket", "old", null, None))!.ExpiresAt);

        _f.Time.Advance(TimeSpan.FromDays(5));
        Assert.Null(await _f.Store.GetRestoreStatusAsync("bucket", "old", null, None));
        Assert.Equal(S3Errors.InvalidObjectState, (await Assert.ThrowsAsync<S3Exception>(() => _f.ReadTextAsync("old"))).Error);
        Assert.Equal(new ColdTierUpkeep(0, 1, 0), await _f.Store.MaintainColdTierAsync(None));
        Assert.Empty(Directory.GetFiles(Path.Combine(_f.DataDirectory, "restored")));
        Assert.Single(ColdFiles());
    }

    [Fact]
    public async Task An_object_written_as_GLACIER_is_archived_until_restored_small_or_large()
    {
        foreach (var (key, size) in new[] { ("small", 10), ("large", 200_000) })
        {
            var bytes = new byte[size];
            _ = await _f.Store.PutObjectAsync("bucket", key, StoreFixture.Body(bytes), StoreFixture.Write() with { StorageClass = "GLACIER" }, None);

            Assert.Equal(S3Errors.InvalidObjectState, (await Assert.ThrowsAsync<S3Exception>(() => _f.Store.GetObjectAsync("bucket", key, None))).Error);
            var now = _f.Time.GetUtcNow();
            Assert.Equal(RestoreOutcome.Started, await _f.Store.RestoreObjectAsync("bucket", key, null, new RestoreRequest(1, "Standard", now.AddMinutes(1), now.AddDays(2), now.AddDays(1)), None));
            Assert.Equal(S3Errors.InvalidObjectState, (await Assert.ThrowsAsync<S3Exception>(() => _f.Store.GetObjectAsync("bucket", key, None))).Error);
            _f.Time.Advance(TimeSpan.FromMinutes(1));
            await using (var read = await _f.Store.GetObjectAsync("bucket", key, None))
            {
                Assert.Equal(size, read.Content.Length);
            }

            _f.Time.Advance(TimeSpan.FromDays(2));
            Assert.Equal(S3Errors.InvalidObjectState, (await Assert.ThrowsAsync<S3Exception>(() => _f.Store.GetObjectAsync("bucket", key, None))).Error);
        }
    }

    [Fact]
    public async Task Restore_of_an_object_that_is_not_archived_is_refused()
    {
        _ = await _f.PutAsync("hot", "x");
        var now = _f.Time.GetUtcNow();
        var request = new RestoreRequest(1, "Standard", now, now.AddDays(1), now.AddDays(1));

        var error = await Assert.ThrowsAsync<S3Exception>(() => _f.Store.RestoreObjectAsync("bucket", "hot", null, request, None));

        Assert.Equal(S3Errors.ObjectAlreadyInActiveTierError, error.Error);
        Assert.Equal(S3Errors.NoSuchKey, (await Assert.ThrowsAsync<S3Exception>(() => _f.Store.RestoreObjectAsync("bucket", "none", null, request, None))).Error);
    }

    [Fact]
    public async Task Deleting_or_overwriting_a_cold_object_removes_its_cold_file_and_restored_copy()
    {
        _ = await _f.PutAsync("a", "aaa");
        _ = await _f.PutAsync("b", "bbb");
        _ = await _f.Store.TransitionVersionAsync(await LatestAsync("a"), "DEEP_ARCHIVE", None);
        _ = await _f.Store.TransitionVersionAsync(await LatestAsync("b"), "ONEZONE_IA", None);
        var now = _f.Time.GetUtcNow();
        _ = await _f.Store.RestoreObjectAsync("bucket", "a", null, new RestoreRequest(1, "Standard", now, now.AddDays(1), now.AddDays(1)), None);
        _ = await _f.Store.MaintainColdTierAsync(None);
        Assert.Equal(2, ColdFiles().Length);
        Assert.Single(Directory.GetFiles(Path.Combine(_f.DataDirectory, "restored")));

        _ = await _f.Store.DeleteObjectAsync("bucket", "a", None);
        _ = await _f.PutAsync("b", "new b");

        Assert.Empty(ColdFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(_f.DataDirectory, "restored")));
        Assert.Equal("new b", await _f.ReadTextAsync("b"));
        Assert.Equal((0L, 0L), await _f.Store.GetColdTierUsageAsync(None));
    }

    [Fact]
    public async Task Transition_of_a_version_that_changed_since_the_scan_does_nothing()
    {
        _ = await _f.PutAsync("k", "one");
        var evaluated = await LatestAsync("k");
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        _ = await _f.PutAsync("k", "two");

        Assert.Null(await _f.Store.TransitionVersionAsync(evaluated, "GLACIER", None));
        Assert.Empty(ColdFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(ColdDirectory, "tmp")));
        Assert.Equal("STANDARD", (await _f.Store.HeadObjectAsync("bucket", "k", None)).StorageClass);
        Assert.Equal("two", await _f.ReadTextAsync("k"));
    }

    [Fact]
    public async Task Transition_of_a_cold_object_to_a_colder_class_keeps_its_cold_file()
    {
        _ = await _f.PutAsync("k", "cold");
        _ = await _f.Store.TransitionVersionAsync(await LatestAsync("k"), "STANDARD_IA", None);
        var file = Assert.Single(ColdFiles());

        var moved = await _f.Store.TransitionVersionAsync(await LatestAsync("k"), "GLACIER", None);

        Assert.Equal("GLACIER", moved!.StorageClass);
        Assert.Equal([file], ColdFiles());
    }

    [Fact]
    public async Task Expiring_the_current_version_of_an_unversioned_bucket_deletes_it_only_if_unchanged()
    {
        _ = await _f.PutAsync("k", "one");
        var evaluated = await LatestAsync("k");
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        _ = await _f.PutAsync("k", "two");

        Assert.Null(await _f.Store.ExpireCurrentVersionAsync(evaluated, None));
        Assert.Equal("two", await _f.ReadTextAsync("k"));

        var deleted = await _f.Store.ExpireCurrentVersionAsync(await LatestAsync("k"), None);
        Assert.False(deleted!.MarkerCreated);
        Assert.Equal("two".Length, deleted.Removed!.Size);
        Assert.Empty(_f.DataFiles());
        Assert.Null(await _f.Store.ExpireCurrentVersionAsync(evaluated, None));
    }

    [Fact]
    public async Task Expiring_the_current_version_of_a_versioned_bucket_adds_one_delete_marker()
    {
        await _f.Store.PutBucketVersioningAsync("bucket", VersioningStatus.Enabled, None);
        _ = await _f.PutAsync("k", "one");
        var evaluated = await LatestAsync("k");

        var result = await _f.Store.ExpireCurrentVersionAsync(evaluated, None);
        var again = await _f.Store.ExpireCurrentVersionAsync(evaluated, None);

        Assert.True(result!.MarkerCreated);
        Assert.Null(again);
        var versions = (await _f.Store.ListKeyVersionsAsync("bucket", null, null, 10, None)).Keys.Single().Versions;
        Assert.Equal([true, false], versions.Select(v => v.IsDeleteMarker));
        Assert.Single(_f.DataFiles());
    }

    [Fact]
    public async Task Expired_delete_marker_is_removed_only_while_it_is_the_sole_version()
    {
        await _f.Store.PutBucketVersioningAsync("bucket", VersioningStatus.Enabled, None);
        var put = await _f.PutAsync("k", "one");
        _ = await _f.Store.DeleteObjectAsync("bucket", "k", None);
        var marker = (await LatestAsync("k"))!;
        Assert.True(marker.IsDeleteMarker);

        Assert.Null(await _f.Store.ExpireVersionAsync(marker, onlyIfSoleVersion: true, None));

        var noncurrent = (await _f.Store.ListKeyVersionsAsync("bucket", null, null, 10, None)).Keys.Single().Versions[1];
        Assert.Equal(put.VersionId, (await _f.Store.ExpireVersionAsync(noncurrent, onlyIfSoleVersion: false, None))!.VersionId);
        Assert.NotNull(await _f.Store.ExpireVersionAsync(marker, onlyIfSoleVersion: true, None));
        Assert.Empty((await _f.Store.ListKeyVersionsAsync("bucket", null, null, 10, None)).Keys);
    }

    [Fact]
    public async Task Open_removes_cold_files_of_moves_that_never_committed_and_keeps_committed_ones()
    {
        _ = await _f.PutAsync("k", "kept");
        _ = await _f.Store.TransitionVersionAsync(await LatestAsync("k"), "GLACIER_IR", None);
        var kept = Assert.Single(ColdFiles());
        const string orphan = "0123456789abcdef0123456789abcdef";

        await _f.ReopenAsync(() =>
        {
            File.WriteAllText(Path.Combine(ColdDirectory, "tmp", orphan), "partial");
            File.WriteAllText(Path.Combine(ColdDirectory, "01", orphan + ".br"), "partial");
            File.WriteAllText(Path.Combine(_f.DataDirectory, "restored", orphan + ".tmp"), "partial");
        });

        Assert.Equal([kept], ColdFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(ColdDirectory, "tmp")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_f.DataDirectory, "restored")));
        Assert.Equal("kept", await _f.ReadTextAsync("k"));
    }

    [Fact]
    public async Task A_cold_directory_elsewhere_holds_the_cold_files()
    {
        var elsewhere = Path.Combine(Path.GetTempPath(), "tally-cold-tests", Guid.NewGuid().ToString("N"));
        var data = Path.Combine(Path.GetTempPath(), "tally-cold-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using var store = DiskObjectStore.Open(data, _f.Time, elsewhere);
            await store.CreateBucketAsync(new BucketInfo("b", "111122223333", StoreFixture.Owner, "us-east-1", _f.Time.GetUtcNow()), None);
            _ = await store.PutObjectAsync("b", "k", StoreFixture.Body("far away"), StoreFixture.Write(), None);
            var version = await store.GetObjectVersionAsync("b", "k", null, None);

            _ = await store.TransitionVersionAsync(version, "STANDARD_IA", None);

            Assert.Equal(Path.GetFullPath(elsewhere), store.ColdDirectory);
            Assert.Single(Directory.GetFiles(elsewhere, "*.br", SearchOption.AllDirectories));
            await using var read = await store.GetObjectAsync("b", "k", None);
            Assert.Equal("far away", await new StreamReader(read.Content, Encoding.UTF8).ReadToEndAsync());
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Lifecycle_candidates_are_keys_with_a_version_old_enough_within_the_prefix()
    {
        await _f.Store.PutBucketVersioningAsync("bucket", VersioningStatus.Enabled, None);
        _ = await _f.PutAsync("logs/old", "1");
        _ = await _f.PutAsync("other/old", "1");
        var cutoff = _f.Time.GetUtcNow();
        _f.Time.Advance(TimeSpan.FromDays(1));
        _ = await _f.PutAsync("logs/new", "1");
        _ = await _f.PutAsync("logs/old", "2");
        _ = await _f.PutAsync("logs/marked", "1");
        _ = await _f.Store.DeleteObjectAsync("bucket", "logs/marked", None);
        _f.Time.Advance(TimeSpan.FromDays(1));
        var later = _f.Time.GetUtcNow();

        async Task<string[]> Keys(LifecycleCandidates c, string? prefix = "logs/", string? after = null, int max = 10) =>
            [.. (await _f.Store.ListLifecycleCandidatesAsync("bucket", prefix, after, max, c, None)).Keys.Select(k => k.Key)];

        Assert.Equal(["logs/old"], await Keys(new LifecycleCandidates(cutoff, null, false)));
        Assert.Equal(["logs/old", "other/old"], await Keys(new LifecycleCandidates(cutoff, null, false), prefix: null));
        Assert.Equal(["logs/marked", "logs/old"], await Keys(new LifecycleCandidates(null, later, false)));
        Assert.Equal(["logs/marked"], await Keys(new LifecycleCandidates(null, null, AnyDeleteMarker: true)));
        Assert.Equal(["logs/marked", "logs/new", "logs/old"], await Keys(LifecycleCandidates.All));
        Assert.Equal(["logs/new", "logs/old"], await Keys(LifecycleCandidates.All, after: "logs/marked"));
        Assert.Empty(await Keys(new LifecycleCandidates(null, null, false)));

        var page = await _f.Store.ListLifecycleCandidatesAsync("bucket", "logs/", null, 2, LifecycleCandidates.All, None);
        Assert.Equal("logs/new", page.NextKeyMarker);
        var old = page.Keys.Single(k => k.Key == "logs/marked");
        Assert.Equal([true, false], old.Versions.Select(v => v.IsDeleteMarker));
        Assert.Null((await _f.Store.ListLifecycleCandidatesAsync("bucket", "logs/", "logs/new", 2, LifecycleCandidates.All, None)).NextKeyMarker);
    }

    private Task<ObjectVersion> LatestAsync(string key) => _f.Store.GetObjectVersionAsync("bucket", key, null, None);

    private string[] ColdFiles() => Directory.GetFiles(ColdDirectory, "*.br", SearchOption.AllDirectories);
}
