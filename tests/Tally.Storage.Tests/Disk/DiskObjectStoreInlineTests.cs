using System.Security.Cryptography;
using Tally.Storage.Disk;
using Tally.Storage.Model;

namespace Tally.Storage.Tests.Disk;

/// <summary>Objects of at most <see cref="DiskObjectStore.InlineThreshold"/> bytes live in the catalog, larger ones in files; both behave the same.</summary>
public sealed class DiskObjectStoreInlineTests : IAsyncLifetime, IDisposable
{
    private const int Threshold = DiskObjectStore.InlineThreshold;
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly StoreFixture _f = new();

    public Task InitializeAsync() => _f.CreateBucketAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _f.Dispose();

    [Theory]
    [InlineData(0, true)]
    [InlineData(Threshold - 1, true)]
    [InlineData(Threshold, true)]
    [InlineData(Threshold + 1, false)]
    [InlineData((3 * Threshold) + 7, false)]
    public async Task Objects_up_to_the_threshold_are_stored_inline_and_larger_ones_in_a_file_with_the_same_bytes_and_etag(int size, bool inline)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);

        var put = await _f.Store.PutObjectAsync("bucket", "k", StoreFixture.Body(bytes), StoreFixture.Write(), None);

        Assert.Equal(size, put.Size);
        Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData(bytes)) + "\"", put.ETag);
        Assert.Equal(inline ? 1 : 0, _f.InlineDataIds().Length);
        Assert.Single(_f.DataFiles());
        Assert.Empty(_f.TmpFiles());
        Assert.Equal(bytes, await ReadAsync("k"));
        Assert.Equal(put.ETag, (await _f.Store.HeadObjectAsync("bucket", "k", None)).ETag);
    }

    [Theory]
    [InlineData(100, (2 * Threshold) + 1)]
    [InlineData((2 * Threshold) + 1, 100)]
    [InlineData(100, 200)]
    public async Task Overwriting_between_inline_and_file_keeps_only_the_new_data(int firstSize, int secondSize)
    {
        _ = await _f.Store.PutObjectAsync("bucket", "k", StoreFixture.Body(RandomNumberGenerator.GetBytes(firstSize)), StoreFixture.Write(), None);
        var second = RandomNumberGenerator.GetBytes(secondSize);

        _ = await _f.Store.PutObjectAsync("bucket", "k", StoreFixture.Body(second), StoreFixture.Write(), None);

        Assert.Equal(second, await ReadAsync("k"));
        Assert.Single(_f.DataFiles());
        Assert.Equal(secondSize <= Threshold ? 1 : 0, _f.InlineDataIds().Length);

        _ = await _f.Store.DeleteObjectAsync("bucket", "k", None);
        await _f.ReopenAsync();
        Assert.Empty(_f.DataFiles());
    }

    [Fact]
    public async Task Inline_objects_survive_a_reopen()
    {
        var bytes = RandomNumberGenerator.GetBytes(4096);
        _ = await _f.Store.PutObjectAsync("bucket", "small", StoreFixture.Body(bytes), StoreFixture.Write(contentType: "application/x-test"), None);

        await _f.ReopenAsync();

        Assert.Equal(bytes, await ReadAsync("small"));
        Assert.Equal("application/x-test", (await _f.Store.HeadObjectAsync("bucket", "small", None)).Headers.ContentType);
        Assert.Single(_f.InlineDataIds());
    }

    [Fact]
    public async Task An_inline_object_reads_as_a_seekable_stream_for_ranged_gets()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        _ = await _f.Store.PutObjectAsync("bucket", "k", StoreFixture.Body(bytes), StoreFixture.Write(), None);

        await using var read = await _f.Store.GetObjectAsync("bucket", "k", None);
        Assert.True(read.Content.CanSeek);
        Assert.False(read.Content.CanWrite);
        Assert.Equal(1000, read.Content.Length);
        _ = read.Content.Seek(900, SeekOrigin.Begin);
        var tail = new byte[100];
        await read.Content.ReadExactlyAsync(tail, None);
        Assert.Equal(bytes[900..], tail);
    }

    [Fact]
    public async Task Every_version_of_a_versioned_key_can_be_inline_and_deleting_one_by_id_removes_only_its_bytes()
    {
        await _f.Store.PutBucketVersioningAsync("bucket", VersioningStatus.Enabled, None);
        var first = RandomNumberGenerator.GetBytes(10);
        var second = RandomNumberGenerator.GetBytes(20);
        var v1 = await _f.Store.PutObjectAsync("bucket", "k", StoreFixture.Body(first), StoreFixture.Write(), None);
        var v2 = await _f.Store.PutObjectAsync("bucket", "k", StoreFixture.Body(second), StoreFixture.Write(), None);
        Assert.Equal(2, _f.InlineDataIds().Length);

        Assert.Equal(first, await ReadAsync("k", v1.VersionId));
        Assert.Equal(second, await ReadAsync("k", v2.VersionId));
        Assert.Equal(second, await ReadAsync("k"));

        _ = await _f.Store.DeleteObjectAsync("bucket", "k", new DeleteObjectOptions { VersionId = v2.VersionId }, None);

        Assert.Equal(first, await ReadAsync("k"));
        Assert.Single(_f.InlineDataIds());
    }

    [Fact]
    public async Task A_body_whose_verification_fails_at_its_end_stores_nothing_inline()
    {
        await Assert.ThrowsAsync<IOException>(() =>
            _f.Store.PutObjectAsync("bucket", "k", new FailingAtEndStream(RandomNumberGenerator.GetBytes(100)), StoreFixture.Write(), None));

        Assert.Empty(_f.DataFiles());
        await Assert.ThrowsAsync<Tally.Core.Errors.S3Exception>(() => _f.Store.HeadObjectAsync("bucket", "k", None));
    }

    [Fact]
    public async Task Transitioning_an_inline_object_moves_its_bytes_to_the_cold_tier()
    {
        var bytes = RandomNumberGenerator.GetBytes(5000);
        _ = await _f.Store.PutObjectAsync("bucket", "k", StoreFixture.Body(bytes), StoreFixture.Write(), None);

        var moved = await _f.Store.TransitionVersionAsync(await _f.Store.GetObjectVersionAsync("bucket", "k", null, None), StorageClasses.StandardIa, None);

        Assert.Equal(StorageClasses.StandardIa, moved!.StorageClass);
        Assert.Empty(_f.DataFiles());
        Assert.Equal(1L, (await _f.Store.GetColdTierUsageAsync(None)).Files);
        Assert.Equal(bytes, await ReadAsync("k"));
    }

    private async Task<byte[]> ReadAsync(string key, string? versionId = null)
    {
        await using var read = await _f.Store.GetObjectAsync("bucket", key, versionId, None);
        using var copy = new MemoryStream();
        await read.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Yields all its bytes, then throws where the end would be: a digest checked at EOF that does not match.</summary>
    private sealed class FailingAtEndStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : throw new IOException("BadDigest at the end of the body");
        }
    }
}
