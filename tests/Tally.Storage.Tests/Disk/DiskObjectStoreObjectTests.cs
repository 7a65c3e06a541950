using System.Security.Cryptography;
using System.Text;
using Tally.Core.Errors;
using Tally.Storage.Model;

namespace Tally.Storage.Tests.Disk;

public sealed class DiskObjectStoreObjectTests : IAsyncLifetime, IDisposable
{
    private readonly StoreFixture _f = new();

    public Task InitializeAsync() => _f.CreateBucketAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task A_large_body_read_in_uneven_pieces_is_stored_byte_exact_with_the_MD5_of_its_bytes()
    {
        // More than the buffers that travel between receiving and hashing, in reads of every size.
        var bytes = RandomNumberGenerator.GetBytes((5 * 1024 * 1024) + 12_345);

        var put = await _f.Objects.PutObjectAsync("bucket", "big.bin", new UnevenReads(bytes), new ObjectWrite(ObjectHeaders.Empty, StoreFixture.Owner, new Dictionary<string, string>()), CancellationToken.None);

        Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData(bytes)) + "\"", put.ETag);
        await using var read = await _f.Objects.GetObjectAsync("bucket", "big.bin", CancellationToken.None);
        var copy = new MemoryStream();
        await read.Content.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Put_then_get_returns_the_bytes_and_everything_stored_with_them()
    {
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        var headers = new ObjectHeaders("image/png", "max-age=60", "inline", "gzip", "de", "Wed, 21 Oct 2015 07:28:00 GMT", new Dictionary<string, string> { ["color"] = "blue" });
        var write = new ObjectWrite(headers, StoreFixture.Owner, new Dictionary<string, string> { ["team"] = "a b" }, "STANDARD_IA", () => new Dictionary<string, string> { ["CRC32"] = "AAAAAA==" });

        var put = await _f.Objects.PutObjectAsync("bucket", "dir/file.png", StoreFixture.Body(bytes), write, CancellationToken.None);

        var expectedETag = "\"" + Convert.ToHexStringLower(MD5.HashData(bytes)) + "\"";
        Assert.Equal(expectedETag, put.ETag);
        Assert.Equal(bytes.Length, put.Size);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero), put.LastModified);

        await using var read = await _f.Objects.GetObjectAsync("bucket", "dir/file.png", CancellationToken.None);
        Assert.True(read.Content.CanSeek);
        var copy = new MemoryStream();
        await read.Content.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        var info = read.Info;
        Assert.Equal(expectedETag, info.ETag);
        Assert.Equal(headers.ContentType, info.Headers.ContentType);
        Assert.Equal(headers.CacheControl, info.Headers.CacheControl);
        Assert.Equal(headers.ContentDisposition, info.Headers.ContentDisposition);
        Assert.Equal(headers.ContentEncoding, info.Headers.ContentEncoding);
        Assert.Equal(headers.ContentLanguage, info.Headers.ContentLanguage);
        Assert.Equal(headers.Expires, info.Headers.Expires);
        Assert.Equal("blue", info.Headers.UserMetadata["color"]);
        Assert.Equal("a b", info.Tags["team"]);
        Assert.Equal("AAAAAA==", info.Checksums["CRC32"]);
        Assert.Equal("STANDARD_IA", info.StorageClass);
        Assert.Equal(StoreFixture.Owner, info.OwnerCanonicalId);
        Assert.Null(info.PartSizes);
        Assert.Equal(put.LastModified, info.LastModified);

        var head = await _f.Objects.HeadObjectAsync("bucket", "dir/file.png", CancellationToken.None);
        Assert.Equal(expectedETag, head.ETag);
    }

    [Fact]
    public async Task Empty_body_is_a_valid_object_with_the_md5_of_nothing()
    {
        var put = await _f.PutAsync("empty", string.Empty);
        Assert.Equal("\"d41d8cd98f00b204e9800998ecf8427e\"", put.ETag);
        Assert.Equal(0, put.Size);
        Assert.Equal(string.Empty, await _f.ReadTextAsync("empty"));
    }

    [Fact]
    public async Task Checksums_callback_runs_after_the_body_has_been_read_to_its_end()
    {
        var body = StoreFixture.Body("hello world");
        long positionSeen = -1;
        var write = StoreFixture.Write(checksums: () =>
        {
            positionSeen = body.Position;
            return new Dictionary<string, string> { ["SHA256"] = "x" };
        });

        var put = await _f.Objects.PutObjectAsync("bucket", "k", body, write, CancellationToken.None);

        Assert.Equal(body.Length, positionSeen);
        Assert.Equal("x", put.Checksums["SHA256"]);
    }

    [Fact]
    public async Task Overwrite_replaces_the_object_and_removes_the_old_data_file()
    {
        _ = await _f.PutAsync("k", "first");
        _ = await _f.PutAsync("k", "second, longer");

        Assert.Equal("second, longer", await _f.ReadTextAsync("k"));
        Assert.Single(_f.DataFiles());
        Assert.Empty(_f.TmpFiles());
    }

    [Fact]
    public async Task Concurrent_puts_of_one_key_end_with_one_whole_winner()
    {
        var bodies = Enumerable.Range(0, 32).Select(i => new string((char)('A' + (i % 26)), 10_000 + i)).ToArray();

        var results = await Task.WhenAll(bodies.Select(b => Task.Run(() => _f.PutAsync("contended", b))));

        var text = await _f.ReadTextAsync("contended");
        Assert.Contains(text, bodies);
        var head = await _f.Objects.HeadObjectAsync("bucket", "contended", CancellationToken.None);
        Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text))) + "\"", head.ETag);
        Assert.Contains(results, r => r.ETag == head.ETag);
        Assert.Single(_f.DataFiles());
        Assert.Empty(_f.TmpFiles());
    }

    [Fact]
    public async Task Get_while_overwriting_always_sees_a_whole_version()
    {
        var a = new string('a', 50_000);
        var b = new string('b', 70_000);
        _ = await _f.PutAsync("k", a);

        var writers = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                _ = await _f.PutAsync("k", i % 2 == 0 ? b : a);
            }
        });
        for (var i = 0; i < 200 && !writers.IsCompleted; i++)
        {
            var text = await _f.ReadTextAsync("k");
            Assert.True(text == a || text == b, "a reader saw a torn object");
        }

        await writers;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(300_000)]
    public async Task A_body_that_throws_midway_leaves_nothing_behind(int bytesBeforeFailure)
    {
        _ = await _f.PutAsync("k", "original");
        var failure = new S3Exception(S3Errors.IncompleteBody);

        var thrown = await Assert.ThrowsAsync<S3Exception>(() =>
            _f.Objects.PutObjectAsync("bucket", "k", new FailingStream(bytesBeforeFailure, failure), StoreFixture.Write(), CancellationToken.None));
        var thrownNew = await Assert.ThrowsAsync<S3Exception>(() =>
            _f.Objects.PutObjectAsync("bucket", "new", new FailingStream(bytesBeforeFailure, failure), StoreFixture.Write(), CancellationToken.None));

        Assert.Same(failure, thrown);
        Assert.Same(failure, thrownNew);
        Assert.Equal("original", await _f.ReadTextAsync("k"));
        var missing = await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.HeadObjectAsync("bucket", "new", CancellationToken.None));
        Assert.Equal("NoSuchKey", missing.Error.Code);
        Assert.Single(_f.DataFiles());
        Assert.Empty(_f.TmpFiles());
    }

    [Fact]
    public async Task A_checksum_callback_that_rejects_the_body_leaves_nothing_behind()
    {
        var write = StoreFixture.Write(checksums: () => throw new S3Exception(S3Errors.BadDigest));

        var thrown = await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.PutObjectAsync("bucket", "k", StoreFixture.Body("data"), write, CancellationToken.None));

        Assert.Equal("BadDigest", thrown.Error.Code);
        Assert.Empty(_f.DataFiles());
        Assert.Empty(_f.TmpFiles());
        Assert.Empty((await _f.Objects.ListObjectsAsync("bucket", new ListObjectsQuery(string.Empty, null, null, 1000), CancellationToken.None)).Objects);
    }

    [Fact]
    public async Task Keys_never_become_paths()
    {
        var hostile = new[]
        {
            "../../etc/passwd",
            "/absolute",
            "..",
            ".",
            "a/../../b",
            "C:\\windows\\system32",
            "nul",
            string.Concat(Enumerable.Repeat("é", 512)), // 1024 UTF-8 bytes
            string.Concat(Enumerable.Repeat("𝄞", 256)), // 1024 UTF-8 bytes of surrogate pairs
        };
        foreach (var key in hostile)
        {
            _ = await _f.PutAsync(key, "v:" + key);
        }

        foreach (var key in hostile)
        {
            Assert.Equal("v:" + key, await _f.ReadTextAsync(key));
        }

        var outside = Directory.GetFileSystemEntries(Path.GetDirectoryName(_f.DataDirectory)!)
            .Where(p => !p.StartsWith(Path.GetDirectoryName(_f.DataDirectory)! + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        Assert.Empty(outside);
        Assert.All(_f.DataFiles(), f => Assert.Matches("^[0-9a-f]{32}$", Path.GetFileName(f)));
        Assert.Equal(hostile.Length, _f.DataFiles().Length);
    }

    [Fact]
    public async Task Missing_things_are_reported_with_the_S3_error_codes()
    {
        _ = await _f.PutAsync("k", "v");

        Assert.Equal("NoSuchKey", (await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.GetObjectAsync("bucket", "nope", CancellationToken.None))).Error.Code);
        Assert.Equal("NoSuchBucket", (await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.GetObjectAsync("nobucket", "k", CancellationToken.None))).Error.Code);
        Assert.Equal("NoSuchBucket", (await Assert.ThrowsAsync<S3Exception>(() => _f.PutAsync("k", "v", "nobucket"))).Error.Code);
        Assert.Equal("NoSuchBucket", (await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.ListObjectsAsync("nobucket", new ListObjectsQuery(string.Empty, null, null, 10), CancellationToken.None))).Error.Code);
        Assert.Equal("NoSuchKey", (await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.PutObjectTagsAsync("bucket", "nope", new Dictionary<string, string>(), CancellationToken.None))).Error.Code);
        Assert.Empty(_f.TmpFiles());
    }

    [Fact]
    public async Task Delete_removes_the_object_and_its_file_and_a_missing_key_returns_null()
    {
        _ = await _f.PutAsync("k", "v");

        var deleted = await _f.Objects.DeleteObjectAsync("bucket", "k", CancellationToken.None);
        var again = await _f.Objects.DeleteObjectAsync("bucket", "k", CancellationToken.None);

        Assert.Equal("k", deleted!.Key);
        Assert.Null(again);
        Assert.Empty(_f.DataFiles());
        await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.HeadObjectAsync("bucket", "k", CancellationToken.None));
        Assert.Equal("NoSuchBucket", (await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.DeleteObjectAsync("nobucket", "k", CancellationToken.None))).Error.Code);
    }

    [Fact]
    public async Task Tags_are_replaced_without_rewriting_the_data()
    {
        var put = await _f.Objects.PutObjectAsync("bucket", "k", StoreFixture.Body("v"), StoreFixture.Write(tags: new Dictionary<string, string> { ["a"] = "1" }), CancellationToken.None);
        var files = _f.DataFiles();

        var tagged = await _f.Objects.PutObjectTagsAsync("bucket", "k", new Dictionary<string, string> { ["b"] = "2" }, CancellationToken.None);
        var cleared = await _f.Objects.PutObjectTagsAsync("bucket", "k", new Dictionary<string, string>(), CancellationToken.None);
        var head = await _f.Objects.HeadObjectAsync("bucket", "k", CancellationToken.None);

        Assert.Equal("2", tagged.Tags["b"]);
        Assert.False(tagged.Tags.ContainsKey("a"));
        Assert.Empty(cleared.Tags);
        Assert.Empty(head.Tags);
        Assert.Equal(put.ETag, head.ETag);
        Assert.Equal(files, _f.DataFiles());
    }

    [Fact]
    public async Task Reopening_keeps_every_object_bucket_and_setting()
    {
        _ = await _f.PutAsync("a", "1");
        _ = await _f.PutAsync("b/c", "2");
        await _f.Settings.PutAsync("bucket", "logging", "<BucketLoggingStatus/>", CancellationToken.None);

        await _f.ReopenAsync();

        Assert.Equal("1", await _f.ReadTextAsync("a"));
        Assert.Equal("2", await _f.ReadTextAsync("b/c"));
        Assert.Equal("<BucketLoggingStatus/>", await _f.Settings.GetAsync("bucket", "logging", CancellationToken.None));
        Assert.Equal("bucket", Assert.Single(await _f.Objects.ListBucketsAsync(CancellationToken.None)).Name);
        Assert.Equal(2, _f.DataFiles().Length);
    }

    [Fact]
    public async Task Cancelling_before_the_body_is_read_changes_nothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        _ = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _f.Objects.PutObjectAsync("bucket", "k", StoreFixture.Body("v"), StoreFixture.Write(), cts.Token));

        Assert.Empty(_f.DataFiles());
        Assert.Empty(_f.TmpFiles());
    }

    /// <summary>A body that hands out 1 to 300,000 bytes per read, as a network stream may.</summary>
    private sealed class UnevenReads(byte[] content) : MemoryStream(content, writable: false)
    {
        private readonly Random _sizes = new(7);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, _sizes.Next(1, 300_000)));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, _sizes.Next(1, 300_000))], cancellationToken);
    }
}
