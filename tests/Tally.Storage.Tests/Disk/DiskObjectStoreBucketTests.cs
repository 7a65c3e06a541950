using Tally.Core.Errors;
using Tally.Storage.Model;

namespace Tally.Storage.Tests.Disk;

public sealed class DiskObjectStoreBucketTests : IDisposable
{
    private readonly StoreFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Creating_an_existing_bucket_says_who_owns_it()
    {
        await _f.CreateBucketAsync("b");

        var mine = await Assert.ThrowsAsync<S3Exception>(() => _f.CreateBucketAsync("b"));
        var theirs = await Assert.ThrowsAsync<S3Exception>(() =>
            _f.Objects.CreateBucketAsync(new BucketInfo("b", "444455556666", "someone-else", "us-east-1", _f.Time.GetUtcNow()), CancellationToken.None));

        Assert.Equal("BucketAlreadyOwnedByYou", mine.Error.Code);
        Assert.Equal("BucketAlreadyExists", theirs.Error.Code);
    }

    [Fact]
    public async Task Buckets_are_listed_by_name_with_their_owner_and_region()
    {
        foreach (var name in new[] { "zeta", "alpha", "mid-1" })
        {
            await _f.CreateBucketAsync(name);
        }

        var buckets = await _f.Objects.ListBucketsAsync(CancellationToken.None);
        var one = await _f.Objects.GetBucketAsync("alpha", CancellationToken.None);

        Assert.Equal(["alpha", "mid-1", "zeta"], buckets.Select(b => b.Name));
        Assert.Equal(new BucketInfo("alpha", "111122223333", StoreFixture.Owner, "us-east-1", _f.Time.GetUtcNow()), one);
        Assert.Null(await _f.Objects.GetBucketAsync("missing", CancellationToken.None));
    }

    [Fact]
    public async Task A_bucket_with_objects_is_not_deleted()
    {
        await _f.CreateBucketAsync("b");
        _ = await _f.PutAsync("k", "v", "b");

        var error = await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.DeleteBucketAsync("b", CancellationToken.None));

        Assert.Equal("BucketNotEmpty", error.Error.Code);
        _ = await _f.Objects.DeleteObjectAsync("b", "k", CancellationToken.None);
        await _f.Objects.DeleteBucketAsync("b", CancellationToken.None);
        Assert.Null(await _f.Objects.GetBucketAsync("b", CancellationToken.None));
        Assert.Equal("NoSuchBucket", (await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.DeleteBucketAsync("b", CancellationToken.None))).Error.Code);
    }

    [Fact]
    public async Task Deleting_a_bucket_removes_its_settings_and_uploads()
    {
        await _f.CreateBucketAsync("b");
        await _f.Settings.PutAsync("b", "logging", "doc", CancellationToken.None);
        var upload = await _f.Objects.CreateMultipartUploadAsync("b", "k", StoreFixture.Write(), CancellationToken.None);
        _ = await _f.Objects.UploadPartAsync("b", "k", upload.UploadId, 1, StoreFixture.Body("x"), new PartWrite(), CancellationToken.None);

        await _f.Objects.DeleteBucketAsync("b", CancellationToken.None);
        await _f.CreateBucketAsync("b");

        Assert.Null(await _f.Settings.GetAsync("b", "logging", CancellationToken.None));
        Assert.Empty(await _f.Settings.ListAsync("logging", CancellationToken.None));
        Assert.Empty((await _f.Objects.ListMultipartUploadsAsync("b", new ListMultipartUploadsQuery(string.Empty, null, null, null, 100), CancellationToken.None)).Uploads);
        Assert.Equal("NoSuchUpload", (await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.GetMultipartUploadAsync("b", "k", upload.UploadId, CancellationToken.None))).Error.Code);
        Assert.Empty(_f.UploadEntries());
    }

    [Fact]
    public async Task Settings_are_kept_per_bucket_and_kind()
    {
        await _f.CreateBucketAsync("b1");
        await _f.CreateBucketAsync("b2");

        await _f.Settings.PutAsync("b2", "logging", "L2", CancellationToken.None);
        await _f.Settings.PutAsync("b1", "logging", "L1-old", CancellationToken.None);
        await _f.Settings.PutAsync("b1", "logging", "L1", CancellationToken.None);
        await _f.Settings.PutAsync("b1", "policy", "P1", CancellationToken.None);

        Assert.Equal("L1", await _f.Settings.GetAsync("b1", "logging", CancellationToken.None));
        Assert.Equal("P1", await _f.Settings.GetAsync("b1", "policy", CancellationToken.None));
        Assert.Null(await _f.Settings.GetAsync("b2", "policy", CancellationToken.None));
        Assert.Equal([("b1", "L1"), ("b2", "L2")], await _f.Settings.ListAsync("logging", CancellationToken.None));

        await _f.Settings.DeleteAsync("b1", "logging", CancellationToken.None);
        await _f.Settings.DeleteAsync("b1", "logging", CancellationToken.None);
        Assert.Null(await _f.Settings.GetAsync("b1", "logging", CancellationToken.None));
        Assert.Equal([("b2", "L2")], await _f.Settings.ListAsync("logging", CancellationToken.None));

        Assert.Equal("NoSuchBucket", (await Assert.ThrowsAsync<S3Exception>(() => _f.Settings.PutAsync("nope", "logging", "x", CancellationToken.None))).Error.Code);
        Assert.Equal("NoSuchBucket", (await Assert.ThrowsAsync<S3Exception>(() => _f.Settings.DeleteAsync("nope", "logging", CancellationToken.None))).Error.Code);
    }
}
