using System.Text;
using Tally.Core.Errors;
using Tally.Storage.Model;

namespace Tally.Storage.Tests.Disk;

public sealed class DiskObjectStoreVersioningTests : IAsyncLifetime, IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly StoreFixture _f = new();

    private IObjectStore Store => _f.Objects;

    public Task InitializeAsync() => _f.CreateBucketAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task A_new_bucket_is_unversioned_and_moves_only_between_enabled_and_suspended()
    {
        Assert.Equal(VersioningStatus.Unversioned, await Store.GetBucketVersioningAsync("bucket", None));
        Assert.Equal(VersioningStatus.Unversioned, (await Store.GetBucketAsync("bucket", None))!.Versioning);

        await Store.PutBucketVersioningAsync("bucket", VersioningStatus.Enabled, None);
        Assert.Equal(VersioningStatus.Enabled, await Store.GetBucketVersioningAsync("bucket", None));
        Assert.Equal(VersioningStatus.Enabled, (await Store.GetBucketAsync("bucket", None))!.Versioning);

        await Store.PutBucketVersioningAsync("bucket", VersioningStatus.Suspended, None);
        Assert.Equal(VersioningStatus.Suspended, (await Store.ListBucketsAsync(None)).Single().Versioning);

        _ = await Assert.ThrowsAsync<ArgumentException>(() => Store.PutBucketVersioningAsync("bucket", VersioningStatus.Unversioned, None));
        Assert.Equal(VersioningStatus.Suspended, await Store.GetBucketVersioningAsync("bucket", None));

        var missing = await Assert.ThrowsAsync<S3Exception>(() => Store.GetBucketVersioningAsync("nope", None));
        Assert.Equal(S3Errors.NoSuchBucket, missing.Error);
    }

    [Fact]
    public async Task Unversioned_overwrite_replaces_the_null_version_and_its_data_file()
    {
        var first = await _f.PutAsync("k", "one");
        var second = await _f.PutAsync("k", "two");

        Assert.Equal("null", first.VersionId);
        Assert.Equal("null", second.VersionId);
        var version = Assert.Single((await ListVersionsAsync()).Versions);
        Assert.Equal("null", version.VersionId);
        Assert.True(version.IsLatest);
        Assert.Single(_f.DataFiles());
        Assert.Equal("two", await _f.ReadTextAsync("k"));
    }

    [Fact]
    public async Task Enabled_put_keeps_every_version_and_get_by_id_reads_each()
    {
        await EnableAsync();
        var v1 = await _f.PutAsync("k", "one");
        _f.Time.Advance(TimeSpan.FromMinutes(1));
        var v2 = await _f.PutAsync("k", "two");

        Assert.NotEqual("null", v1.VersionId);
        Assert.NotEqual(v1.VersionId, v2.VersionId);
        Assert.Matches("^[A-Za-z0-9_-]{32}$", v1.VersionId);
        Assert.Equal("two", await _f.ReadTextAsync("k"));
        Assert.Equal("one", await ReadAsync("k", v1.VersionId));
        Assert.Equal("two", await ReadAsync("k", v2.VersionId));
        Assert.Equal(v1.ETag, (await Store.HeadObjectAsync("bucket", "k", v1.VersionId, None)).ETag);
        Assert.Equal(v2.VersionId, (await Store.HeadObjectAsync("bucket", "k", None)).VersionId);

        var versions = (await ListVersionsAsync()).Versions;
        Assert.Equal([v2.VersionId, v1.VersionId], versions.Select(v => v.VersionId));
        Assert.Equal([true, false], versions.Select(v => v.IsLatest));
        Assert.Null(versions[0].NoncurrentSince);
        Assert.Equal(v2.LastModified, versions[1].NoncurrentSince);
        Assert.Equal(2, _f.DataFiles().Length);

        var current = Assert.Single((await Store.ListObjectsAsync("bucket", new ListObjectsQuery(string.Empty, null, null, 1000), None)).Objects);
        Assert.Equal(v2.VersionId, current.VersionId);
    }

    [Fact]
    public async Task Enabled_delete_adds_a_marker_that_hides_the_key_but_keeps_its_versions()
    {
        await EnableAsync();
        var v1 = await _f.PutAsync("k", "one");
        _f.Time.Advance(TimeSpan.FromSeconds(5));

        var deletion = await Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { RequesterCanonicalId = "requester" }, None);

        Assert.True(deletion.DeleteMarker);
        Assert.True(deletion.MarkerCreated);
        Assert.Null(deletion.Removed);
        Assert.NotNull(deletion.VersionId);
        Assert.NotEqual(v1.VersionId, deletion.VersionId);

        Assert.Equal(S3Errors.NoSuchKey, (await Assert.ThrowsAsync<S3Exception>(() => Store.GetObjectAsync("bucket", "k", None))).Error);
        Assert.Equal(S3Errors.NoSuchKey, (await Assert.ThrowsAsync<S3Exception>(() => Store.HeadObjectAsync("bucket", "k", None))).Error);
        var byId = await Assert.ThrowsAsync<S3Exception>(() => Store.GetObjectAsync("bucket", "k", deletion.VersionId, None));
        Assert.Equal(S3Errors.MethodNotAllowed, byId.Error);
        Assert.Equal("DeleteMarker", byId.Details["ResourceType"]);
        Assert.Equal("one", await ReadAsync("k", v1.VersionId));

        var marker = await Store.GetObjectVersionAsync("bucket", "k", null, None);
        Assert.True(marker.IsDeleteMarker);
        Assert.True(marker.IsLatest);
        Assert.Equal(deletion.VersionId, marker.VersionId);
        Assert.Equal("requester", marker.OwnerCanonicalId);
        Assert.Null(marker.Object);
        Assert.Equal(_f.Time.GetUtcNow(), marker.LastModified);

        Assert.Empty((await Store.ListObjectsAsync("bucket", new ListObjectsQuery(string.Empty, null, null, 1000), None)).Objects);
        var versions = (await ListVersionsAsync()).Versions;
        Assert.Equal([deletion.VersionId, v1.VersionId], versions.Select(v => v.VersionId));
        Assert.Equal([true, false], versions.Select(v => v.IsDeleteMarker));
        Assert.Equal(marker.LastModified, versions[1].NoncurrentSince);
    }

    [Fact]
    public async Task A_delete_on_a_marker_adds_another_marker_as_aws_does()
    {
        await EnableAsync();
        _ = await _f.PutAsync("k", "one");
        var first = await Store.DeleteObjectAsync("bucket", "k", DeleteObjectOptions.Current, None);
        var second = await Store.DeleteObjectAsync("bucket", "k", DeleteObjectOptions.Current, None);

        Assert.NotEqual(first.VersionId, second.VersionId);
        Assert.Equal(3, (await ListVersionsAsync()).Versions.Count);
    }

    [Fact]
    public async Task Removing_the_marker_by_id_brings_the_previous_version_back()
    {
        await EnableAsync();
        var v1 = await _f.PutAsync("k", "one");
        var marker = await Store.DeleteObjectAsync("bucket", "k", DeleteObjectOptions.Current, None);

        var removed = await Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { VersionId = marker.VersionId }, None);

        Assert.True(removed.DeleteMarker);
        Assert.False(removed.MarkerCreated);
        Assert.Equal(marker.VersionId, removed.VersionId);
        Assert.Null(removed.Removed);
        Assert.Equal("one", await _f.ReadTextAsync("k"));
        var back = Assert.Single((await ListVersionsAsync()).Versions);
        Assert.Equal(v1.VersionId, back.VersionId);
        Assert.True(back.IsLatest);
        Assert.Null(back.NoncurrentSince);
    }

    [Fact]
    public async Task Deleting_the_latest_version_by_id_removes_its_data_and_promotes_the_next()
    {
        await EnableAsync();
        var v1 = await _f.PutAsync("k", "one");
        var v2 = await _f.PutAsync("k", "two");

        var removed = await Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { VersionId = v2.VersionId }, None);

        Assert.False(removed.DeleteMarker);
        Assert.Equal(v2.VersionId, removed.Removed!.VersionId);
        Assert.Equal(3, removed.Removed.Size);
        Assert.Equal("one", await _f.ReadTextAsync("k"));
        Assert.Single(_f.DataFiles());
        Assert.True((await Store.GetObjectVersionAsync("bucket", "k", v1.VersionId, None)).IsLatest);
        Assert.Equal(S3Errors.NoSuchVersion, (await Assert.ThrowsAsync<S3Exception>(() => Store.GetObjectAsync("bucket", "k", v2.VersionId, None))).Error);
    }

    [Fact]
    public async Task Deleting_a_noncurrent_version_leaves_the_latest_alone()
    {
        await EnableAsync();
        var v1 = await _f.PutAsync("k", "one");
        var v2 = await _f.PutAsync("k", "two");

        _ = await Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { VersionId = v1.VersionId }, None);

        var only = Assert.Single((await ListVersionsAsync()).Versions);
        Assert.Equal(v2.VersionId, only.VersionId);
        Assert.True(only.IsLatest);
    }

    [Fact]
    public async Task Unknown_versions_are_NoSuchVersion_malformed_ones_InvalidArgument_and_deleting_one_is_a_no_op()
    {
        await EnableAsync();
        _ = await _f.PutAsync("k", "one");
        var unknown = new string('A', 32);

        var missing = await Assert.ThrowsAsync<S3Exception>(() => Store.HeadObjectAsync("bucket", "k", unknown, None));
        Assert.Equal(S3Errors.NoSuchVersion, missing.Error);
        Assert.Equal(unknown, missing.Details["VersionId"]);
        Assert.Equal(S3Errors.NoSuchVersion, (await Assert.ThrowsAsync<S3Exception>(() => Store.GetObjectVersionAsync("bucket", "other", "null", None))).Error);
        Assert.Equal(S3Errors.NoSuchKey, (await Assert.ThrowsAsync<S3Exception>(() => Store.GetObjectVersionAsync("bucket", "other", null, None))).Error);

        var malformed = await Assert.ThrowsAsync<S3Exception>(() => Store.GetObjectAsync("bucket", "k", "../x", None));
        Assert.Equal(S3Errors.InvalidArgument, malformed.Error);
        Assert.Equal("Invalid version id specified", malformed.Message);

        var deletion = await Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { VersionId = unknown }, None);
        Assert.Equal(unknown, deletion.VersionId);
        Assert.False(deletion.DeleteMarker);
        Assert.Null(deletion.Removed);
        Assert.Single((await ListVersionsAsync()).Versions);

        var noBucket = await Assert.ThrowsAsync<S3Exception>(() => Store.GetObjectAsync("nope", "k", unknown, None));
        Assert.Equal(S3Errors.NoSuchBucket, noBucket.Error);
    }

    [Fact]
    public async Task Objects_from_before_versioning_stay_as_the_null_version()
    {
        var old = await _f.PutAsync("k", "old");
        await EnableAsync();
        var v1 = await _f.PutAsync("k", "new");

        Assert.Equal("old", await ReadAsync("k", "null"));
        Assert.Equal("new", await _f.ReadTextAsync("k"));
        var versions = (await ListVersionsAsync()).Versions;
        Assert.Equal([v1.VersionId, "null"], versions.Select(v => v.VersionId));
        Assert.Equal(old.ETag, versions[1].Object!.ETag);
    }

    [Fact]
    public async Task Suspended_put_replaces_only_the_null_version_wherever_it_is()
    {
        _ = await _f.PutAsync("k", "null-1");
        await EnableAsync();
        var v1 = await _f.PutAsync("k", "v1");
        await Store.PutBucketVersioningAsync("bucket", VersioningStatus.Suspended, None);

        var suspended = await _f.PutAsync("k", "null-2");
        Assert.Equal("null", suspended.VersionId);
        Assert.Equal([("null", "null-2"), (v1.VersionId, "v1")], await VersionContentsAsync("k"));

        _ = await _f.PutAsync("k", "null-3");
        Assert.Equal([("null", "null-3"), (v1.VersionId, "v1")], await VersionContentsAsync("k"));
        Assert.Equal(2, _f.DataFiles().Length);
    }

    [Fact]
    public async Task Suspended_delete_replaces_the_null_version_with_a_null_marker()
    {
        await EnableAsync();
        var v1 = await _f.PutAsync("k", "v1");
        await Store.PutBucketVersioningAsync("bucket", VersioningStatus.Suspended, None);
        _ = await _f.PutAsync("k", "null");

        var deletion = await Store.DeleteObjectAsync("bucket", "k", DeleteObjectOptions.Current, None);

        Assert.Equal("null", deletion.VersionId);
        Assert.True(deletion.DeleteMarker);
        Assert.Equal(4, deletion.Removed!.Size);
        var versions = (await ListVersionsAsync()).Versions;
        Assert.Equal([("null", true, true), (v1.VersionId, false, false)], versions.Select(v => (v.VersionId, v.IsDeleteMarker, v.IsLatest)));
        Assert.Single(_f.DataFiles());

        // The old plain DeleteObjectAsync follows the bucket's state too: nothing is removed, a marker replaces the marker.
        Assert.Null(await Store.DeleteObjectAsync("bucket", "k", None));
        Assert.Equal(2, (await ListVersionsAsync()).Versions.Count);
    }

    [Fact]
    public async Task Unversioned_delete_removes_the_object_and_reports_it()
    {
        var put = await _f.PutAsync("k", "one");

        var deletion = await Store.DeleteObjectAsync("bucket", "k", DeleteObjectOptions.Current, None);

        Assert.Null(deletion.VersionId);
        Assert.False(deletion.DeleteMarker);
        Assert.Equal(put.ETag, deletion.Removed!.ETag);
        Assert.Empty((await ListVersionsAsync()).Versions);
        Assert.Empty(_f.DataFiles());
    }

    [Fact]
    public async Task A_bucket_with_only_a_delete_marker_left_is_not_empty()
    {
        await EnableAsync();
        var v1 = await _f.PutAsync("k", "one");
        var marker = await Store.DeleteObjectAsync("bucket", "k", DeleteObjectOptions.Current, None);
        _ = await Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { VersionId = v1.VersionId }, None);

        var error = await Assert.ThrowsAsync<S3Exception>(() => Store.DeleteBucketAsync("bucket", None));
        Assert.Equal(S3Errors.BucketNotEmpty, error.Error);

        _ = await Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { VersionId = marker.VersionId }, None);
        await Store.DeleteBucketAsync("bucket", None);
        Assert.Null(await Store.GetBucketAsync("bucket", None));
    }

    [Fact]
    public async Task Tags_are_per_version()
    {
        await EnableAsync();
        var v1 = await _f.PutAsync("k", "one");
        var v2 = await _f.PutAsync("k", "two");

        _ = await Store.PutObjectTagsAsync("bucket", "k", v1.VersionId, new Dictionary<string, string> { ["age"] = "old" }, None);
        var latest = await Store.PutObjectTagsAsync("bucket", "k", new Dictionary<string, string> { ["age"] = "new" }, None);

        Assert.Equal(v2.VersionId, latest.VersionId);
        Assert.Equal("old", (await Store.HeadObjectAsync("bucket", "k", v1.VersionId, None)).Tags["age"]);
        Assert.Equal("new", (await Store.HeadObjectAsync("bucket", "k", None)).Tags["age"]);

        var marker = await Store.DeleteObjectAsync("bucket", "k", DeleteObjectOptions.Current, None);
        Assert.Equal(S3Errors.NoSuchKey, (await Assert.ThrowsAsync<S3Exception>(() => Store.PutObjectTagsAsync("bucket", "k", new Dictionary<string, string>(), None))).Error);
        Assert.Equal(S3Errors.MethodNotAllowed, (await Assert.ThrowsAsync<S3Exception>(() => Store.PutObjectTagsAsync("bucket", "k", marker.VersionId, new Dictionary<string, string>(), None))).Error);
    }

    [Fact]
    public async Task Completing_a_multipart_upload_in_an_enabled_bucket_adds_a_version()
    {
        await EnableAsync();
        var v1 = await _f.PutAsync("k", "one");
        var upload = await Store.CreateMultipartUploadAsync("bucket", "k", StoreFixture.Write(), None);
        var part = await Store.UploadPartAsync("bucket", "k", upload.UploadId, 1, StoreFixture.Body("joined"), new PartWrite(), None);

        var completed = await Store.CompleteMultipartUploadAsync("bucket", "k", upload.UploadId, [new CompletedPart(1, part.ETag)], None);

        Assert.NotEqual("null", completed.VersionId);
        Assert.Equal([(completed.VersionId, "joined"), (v1.VersionId, "one")], await VersionContentsAsync("k"));
    }

    [Fact]
    public async Task Conditions_make_a_delete_act_only_on_what_was_evaluated()
    {
        await EnableAsync();
        var v1 = await _f.PutAsync("k", "one");
        var v2 = await _f.PutAsync("k", "two");

        var stale = await Assert.ThrowsAsync<S3Exception>(() => Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { IfLatestVersionId = v1.VersionId }, None));
        Assert.Equal(S3Errors.PreconditionFailed, stale.Error);
        var notSole = await Assert.ThrowsAsync<S3Exception>(() => Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { VersionId = v1.VersionId, OnlyIfSoleVersion = true }, None));
        Assert.Equal(S3Errors.PreconditionFailed, notSole.Error);
        Assert.Equal(2, (await ListVersionsAsync()).Versions.Count);

        var marked = await Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { IfLatestVersionId = v2.VersionId }, None);
        Assert.True(marked.MarkerCreated);

        _ = await Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { VersionId = v1.VersionId }, None);
        _ = await Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { VersionId = v2.VersionId }, None);
        var sole = await Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { VersionId = marked.VersionId, OnlyIfSoleVersion = true }, None);
        Assert.True(sole.DeleteMarker);
        Assert.Empty((await ListVersionsAsync()).Versions);
    }

    [Fact]
    public async Task Version_listing_pages_one_entry_at_a_time_give_the_same_sequence_as_one_page()
    {
        await EnableAsync();
        foreach (var key in new[] { "a", "b/1", "b/2", "c" })
        {
            _ = await _f.PutAsync(key, key + "-1");
            _ = await _f.PutAsync(key, key + "-2");
        }

        _ = await Store.DeleteObjectAsync("bucket", "b/1", DeleteObjectOptions.Current, None);
        var all = await ListVersionsAsync();
        Assert.False(all.IsTruncated);
        Assert.Equal(9, all.Versions.Count);
        Assert.Equal(["a", "a", "b/1", "b/1", "b/1", "b/2", "b/2", "c", "c"], all.Versions.Select(v => v.Key));
        Assert.True(all.Versions[2].IsDeleteMarker);

        var paged = new List<ObjectVersion>();
        string? keyMarker = null;
        string? versionMarker = null;
        for (var i = 0; i < 20; i++)
        {
            var page = await Store.ListObjectVersionsAsync("bucket", new ListObjectVersionsQuery(string.Empty, null, keyMarker, versionMarker, 1), None);
            paged.AddRange(page.Versions);
            if (!page.IsTruncated)
            {
                break;
            }

            Assert.Single(page.Versions);
            keyMarker = page.NextKeyMarker;
            versionMarker = page.NextVersionIdMarker;
            Assert.Equal(page.Versions[0].VersionId, versionMarker);
        }

        Assert.Equal(all.Versions.Select(v => (v.Key, v.VersionId)), paged.Select(v => (v.Key, v.VersionId)));
    }

    [Fact]
    public async Task Version_listing_rolls_up_common_prefixes_and_honours_prefix_and_key_marker()
    {
        await EnableAsync();
        foreach (var key in new[] { "a", "b/1", "b/2", "c" })
        {
            _ = await _f.PutAsync(key, "x");
            _ = await _f.PutAsync(key, "y");
        }

        var rolled = await Store.ListObjectVersionsAsync("bucket", new ListObjectVersionsQuery(string.Empty, "/", null, null, 1000), None);
        Assert.Equal(["a", "a", "c", "c"], rolled.Versions.Select(v => v.Key));
        Assert.Equal(["b/"], rolled.CommonPrefixes);

        var truncatedAtPrefix = await Store.ListObjectVersionsAsync("bucket", new ListObjectVersionsQuery(string.Empty, "/", null, null, 3), None);
        Assert.True(truncatedAtPrefix.IsTruncated);
        Assert.Equal("b/", truncatedAtPrefix.NextKeyMarker);
        Assert.Null(truncatedAtPrefix.NextVersionIdMarker);
        var rest = await Store.ListObjectVersionsAsync("bucket", new ListObjectVersionsQuery(string.Empty, "/", "b/", null, 3), None);
        Assert.Equal(["c", "c"], rest.Versions.Select(v => v.Key));
        Assert.Empty(rest.CommonPrefixes);

        var underB = await Store.ListObjectVersionsAsync("bucket", new ListObjectVersionsQuery("b/", null, null, null, 1000), None);
        Assert.Equal(["b/1", "b/1", "b/2", "b/2"], underB.Versions.Select(v => v.Key));

        // A key marker alone starts after every version of that key; version-id-marker without key-marker is ignored.
        var afterA = await Store.ListObjectVersionsAsync("bucket", new ListObjectVersionsQuery(string.Empty, null, "a", null, 1000), None);
        Assert.Equal("b/1", afterA.Versions[0].Key);
        var ignored = await Store.ListObjectVersionsAsync("bucket", new ListObjectVersionsQuery(string.Empty, null, null, rolled.Versions[0].VersionId, 1000), None);
        Assert.Equal(8, ignored.Versions.Count);

        var bad = await Assert.ThrowsAsync<S3Exception>(() => Store.ListObjectVersionsAsync("bucket", new ListObjectVersionsQuery(string.Empty, null, "a", "bad marker", 10), None));
        Assert.Equal(S3Errors.InvalidArgument, bad.Error);
    }

    [Fact]
    public async Task Key_version_scan_returns_whole_stacks_and_finds_expired_delete_markers()
    {
        await EnableAsync();
        var a1 = await _f.PutAsync("a", "1");
        _f.Time.Advance(TimeSpan.FromDays(1));
        var a2 = await _f.PutAsync("a", "2");
        var gone = await _f.PutAsync("gone", "1");
        var marker = await Store.DeleteObjectAsync("bucket", "gone", DeleteObjectOptions.Current, None);
        _ = await Store.DeleteObjectAsync("bucket", "gone", new DeleteObjectOptions { VersionId = gone.VersionId }, None);
        _ = await _f.PutAsync("z", "1");
        _ = await _f.PutAsync("logs/x", "1");

        var stacks = new List<KeyVersions>();
        string? after = null;
        for (var i = 0; i < 10; i++)
        {
            var page = await Store.ListKeyVersionsAsync("bucket", null, after, 2, None);
            Assert.True(page.Keys.Count <= 2);
            stacks.AddRange(page.Keys);
            after = page.NextKeyMarker;
            if (after is null)
            {
                break;
            }
        }

        Assert.Equal(["a", "gone", "logs/x", "z"], stacks.Select(s => s.Key));
        Assert.Equal([a2.VersionId, a1.VersionId], stacks[0].Versions.Select(v => v.VersionId));
        Assert.Equal(a2.LastModified, stacks[0].Versions[1].NoncurrentSince);
        Assert.False(stacks[0].IsExpiredDeleteMarker);
        Assert.True(stacks[1].IsExpiredDeleteMarker);
        Assert.Equal(marker.VersionId, stacks[1].Latest!.VersionId);

        var underLogs = await Store.ListKeyVersionsAsync("bucket", "logs/", null, 100, None);
        Assert.Equal("logs/x", Assert.Single(underLogs.Keys).Key);
        Assert.Null(underLogs.NextKeyMarker);
    }

    [Fact]
    public async Task Versions_and_markers_survive_a_restart()
    {
        await EnableAsync();
        var v1 = await _f.PutAsync("k", "one");
        var marker = await Store.DeleteObjectAsync("bucket", "k", DeleteObjectOptions.Current, None);

        await _f.ReopenAsync();

        Assert.Equal(VersioningStatus.Enabled, await _f.Objects.GetBucketVersioningAsync("bucket", None));
        var versions = (await _f.Objects.ListObjectVersionsAsync("bucket", new ListObjectVersionsQuery(string.Empty, null, null, null, 1000), None)).Versions;
        Assert.Equal([marker.VersionId, v1.VersionId], versions.Select(v => v.VersionId));
        Assert.Equal("one", await ReadAsync("k", v1.VersionId));
    }

    private Task EnableAsync() => Store.PutBucketVersioningAsync("bucket", VersioningStatus.Enabled, None);

    private Task<ListObjectVersionsPage> ListVersionsAsync() =>
        _f.Objects.ListObjectVersionsAsync("bucket", new ListObjectVersionsQuery(string.Empty, null, null, null, 1000), None);

    private async Task<string> ReadAsync(string key, string versionId)
    {
        await using var read = await _f.Objects.GetObjectAsync("bucket", key, versionId, None);
        Assert.Equal(versionId, read.Info.VersionId);
        using var reader = new StreamReader(read.Content, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private async Task<List<(string VersionId, string Text)>> VersionContentsAsync(string key)
    {
        var result = new List<(string, string)>();
        foreach (var version in (await ListVersionsAsync()).Versions.Where(v => v.Key == key))
        {
            result.Add((version.VersionId, await ReadAsync(key, version.VersionId)));
        }

        return result;
    }
}
