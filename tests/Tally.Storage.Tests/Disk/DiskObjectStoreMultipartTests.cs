using Tally.Core.Errors;
using Tally.Storage.Disk;
using Tally.Storage.Model;

namespace Tally.Storage.Tests.Disk;

public sealed class DiskObjectStoreMultipartTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] FiveMiBOfA = Enumerable.Repeat((byte)'a', 5 * 1024 * 1024).ToArray();

    private readonly StoreFixture _f = new();

    public Task InitializeAsync() => _f.CreateBucketAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Completing_joins_the_parts_with_the_AWS_multipart_etag()
    {
        var upload = await CreateAsync("big");
        var p1 = await UploadAsync(upload, 1, FiveMiBOfA);
        var p2 = await UploadAsync(upload, 2, "b"u8.ToArray());

        // md5("a" x 5 MiB) = 79b281060d337b9b2b84ccf390adcf74, md5("b") = 92eb5ffee6ae2fec3ad71c777531578f;
        // AWS: md5 of the two binary digests concatenated, then "-2" (computed independently with Python's hashlib).
        Assert.Equal("\"79b281060d337b9b2b84ccf390adcf74\"", p1.ETag);
        Assert.Equal("\"92eb5ffee6ae2fec3ad71c777531578f\"", p2.ETag);

        var done = await _f.Objects.CompleteMultipartUploadAsync("bucket", "big", upload.UploadId, [new(1, p1.ETag), new(2, "92eb5ffee6ae2fec3ad71c777531578f")], CancellationToken.None);

        Assert.Equal("\"e5a8c5272b26fc10581a21089559b006-2\"", done.ETag);
        Assert.Equal(FiveMiBOfA.Length + 1, done.Size);
        Assert.Equal([FiveMiBOfA.Length, 1L], done.PartSizes);
        Assert.Equal("text/plain", done.Headers.ContentType);
        Assert.Equal("v", done.Tags["t"]);

        await using (var read = await _f.Objects.GetObjectAsync("bucket", "big", CancellationToken.None))
        {
            Assert.Equal(FiveMiBOfA.Length + 1, read.Content.Length);
            read.Content.Position = FiveMiBOfA.Length - 1;
            Assert.Equal('a', read.Content.ReadByte());
            Assert.Equal('b', read.Content.ReadByte());
            Assert.Equal([FiveMiBOfA.Length, 1L], read.Info.PartSizes);
        }

        Assert.Equal("NoSuchUpload", (await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.GetMultipartUploadAsync("bucket", "big", upload.UploadId, CancellationToken.None))).Error.Code);
        Assert.Empty(_f.UploadEntries());
        Assert.Single(_f.DataFiles());
        Assert.Empty(_f.TmpFiles());
    }

    [Fact]
    public async Task Multipart_etag_helper_matches_the_known_formula()
    {
        Assert.Equal(
            "\"e5a8c5272b26fc10581a21089559b006-2\"",
            DiskObjectStore.MultipartETag(["\"79b281060d337b9b2b84ccf390adcf74\"", "92eb5ffee6ae2fec3ad71c777531578f"]));
    }

    [Fact]
    public async Task A_part_other_than_the_last_below_5_MiB_is_EntityTooSmall()
    {
        var upload = await CreateAsync("k");
        var p1 = await UploadAsync(upload, 1, "small"u8.ToArray());
        var p2 = await UploadAsync(upload, 2, "last"u8.ToArray());

        var error = await Assert.ThrowsAsync<S3Exception>(() => CompleteAsync(upload, new CompletedPart(1, p1.ETag), new CompletedPart(2, p2.ETag)));

        Assert.Equal("EntityTooSmall", error.Error.Code);
        Assert.Equal("5", error.Details["ProposedSize"]);

        // The upload survives a rejected completion; a single small part is fine (it is the last).
        var done = await CompleteAsync(upload, new CompletedPart(2, p2.ETag));
        Assert.Equal(4, done.Size);
        Assert.EndsWith("-1\"", done.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parts_out_of_order_are_InvalidPartOrder_and_unknown_or_mismatched_parts_are_InvalidPart()
    {
        var upload = await CreateAsync("k");
        var p1 = await UploadAsync(upload, 1, FiveMiBOfA);
        var p3 = await UploadAsync(upload, 3, "x"u8.ToArray());

        Assert.Equal("InvalidPartOrder", (await Assert.ThrowsAsync<S3Exception>(() => CompleteAsync(upload, new CompletedPart(3, p3.ETag), new CompletedPart(1, p1.ETag)))).Error.Code);
        Assert.Equal("InvalidPartOrder", (await Assert.ThrowsAsync<S3Exception>(() => CompleteAsync(upload, new CompletedPart(1, p1.ETag), new CompletedPart(1, p1.ETag)))).Error.Code);
        Assert.Equal("InvalidPart", (await Assert.ThrowsAsync<S3Exception>(() => CompleteAsync(upload, new CompletedPart(1, p1.ETag), new CompletedPart(2, p3.ETag)))).Error.Code);
        Assert.Equal("InvalidPart", (await Assert.ThrowsAsync<S3Exception>(() => CompleteAsync(upload, new CompletedPart(1, p1.ETag), new CompletedPart(3, "\"00000000000000000000000000000000\"")))).Error.Code);
        Assert.Equal("MalformedXML", (await Assert.ThrowsAsync<S3Exception>(() => CompleteAsync(upload))).Error.Code);

        // Skipping part 2 is allowed: part numbers need only ascend.
        var done = await CompleteAsync(upload, new CompletedPart(1, p1.ETag.Trim('"')), new CompletedPart(3, p3.ETag));
        Assert.Equal(FiveMiBOfA.Length + 1, done.Size);
    }

    [Fact]
    public async Task Uploading_a_part_number_again_replaces_it()
    {
        var upload = await CreateAsync("k");
        _ = await UploadAsync(upload, 1, "first"u8.ToArray());
        var second = await UploadAsync(upload, 1, "second"u8.ToArray());

        var parts = await _f.Objects.ListPartsAsync("bucket", "k", upload.UploadId, 0, 1000, CancellationToken.None);

        var part = Assert.Single(parts.Parts);
        Assert.Equal(second.ETag, part.ETag);
        Assert.Equal(6, part.Size);
        Assert.Single(Directory.GetFiles(Path.Combine(_f.DataDirectory, "uploads", upload.UploadId)));
        Assert.Equal("second", await ReadCompletedAsync(upload, new CompletedPart(1, second.ETag)));
    }

    [Fact]
    public async Task Part_checksums_and_numbers_are_validated_and_stored()
    {
        var upload = await CreateAsync("k");

        var part = await _f.Objects.UploadPartAsync("bucket", "k", upload.UploadId, 7, StoreFixture.Body("x"), new PartWrite(() => new Dictionary<string, string> { ["CRC32C"] = "abc=" }), CancellationToken.None);

        Assert.Equal("abc=", part.Checksums["CRC32C"]);
        Assert.Equal("abc=", Assert.Single((await _f.Objects.ListPartsAsync("bucket", "k", upload.UploadId, 0, 10, CancellationToken.None)).Parts).Checksums["CRC32C"]);
        Assert.Equal("InvalidArgument", (await Assert.ThrowsAsync<S3Exception>(() => UploadAsync(upload, 0, [1]))).Error.Code);
        Assert.Equal("InvalidArgument", (await Assert.ThrowsAsync<S3Exception>(() => UploadAsync(upload, 10_001, [1]))).Error.Code);
    }

    [Fact]
    public async Task A_part_body_that_throws_leaves_nothing_behind()
    {
        var upload = await CreateAsync("k");

        _ = await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.UploadPartAsync("bucket", "k", upload.UploadId, 1, new FailingStream(1000, new S3Exception(S3Errors.BadDigest)), new PartWrite(), CancellationToken.None));

        Assert.Empty((await _f.Objects.ListPartsAsync("bucket", "k", upload.UploadId, 0, 10, CancellationToken.None)).Parts);
        Assert.Empty(Directory.GetFiles(Path.Combine(_f.DataDirectory, "uploads", upload.UploadId)));
        Assert.Empty(_f.TmpFiles());
    }

    [Fact]
    public async Task Abort_removes_the_upload_and_its_parts()
    {
        var upload = await CreateAsync("k");
        _ = await UploadAsync(upload, 1, "x"u8.ToArray());

        await _f.Objects.AbortMultipartUploadAsync("bucket", "k", upload.UploadId, CancellationToken.None);

        Assert.Empty(_f.UploadEntries());
        Assert.Equal("NoSuchUpload", (await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.ListPartsAsync("bucket", "k", upload.UploadId, 0, 10, CancellationToken.None))).Error.Code);
        Assert.Equal("NoSuchUpload", (await Assert.ThrowsAsync<S3Exception>(() => UploadAsync(upload, 2, [1]))).Error.Code);
        Assert.Equal("NoSuchUpload", (await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.AbortMultipartUploadAsync("bucket", "k", upload.UploadId, CancellationToken.None))).Error.Code);
        Assert.Empty(_f.TmpFiles());
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("0000000000000000000000000000000000/x")]
    public async Task Upload_ids_that_the_store_did_not_make_are_NoSuchUpload(string uploadId)
    {
        var error = await Assert.ThrowsAsync<S3Exception>(() =>
            _f.Objects.UploadPartAsync("bucket", "k", uploadId, 1, StoreFixture.Body("x"), new PartWrite(), CancellationToken.None));

        Assert.Equal("NoSuchUpload", error.Error.Code);
    }

    [Fact]
    public async Task An_upload_belongs_to_its_bucket_and_key()
    {
        var upload = await CreateAsync("k");

        Assert.Equal("NoSuchUpload", (await Assert.ThrowsAsync<S3Exception>(() => _f.Objects.GetMultipartUploadAsync("bucket", "other", upload.UploadId, CancellationToken.None))).Error.Code);
        var found = await _f.Objects.GetMultipartUploadAsync("bucket", "k", upload.UploadId, CancellationToken.None);
        Assert.Equal(upload.Initiated, found.Initiated);
        Assert.Equal(StoreFixture.Owner, found.Write.OwnerCanonicalId);
        Assert.Matches("^[0-9A-Za-z_-]{36}$", upload.UploadId);
    }

    [Fact]
    public async Task List_parts_pages_by_part_number_marker()
    {
        var upload = await CreateAsync("k");
        foreach (var n in new[] { 5, 1, 3, 2, 4 })
        {
            _ = await UploadAsync(upload, n, [(byte)n]);
        }

        var first = await _f.Objects.ListPartsAsync("bucket", "k", upload.UploadId, 0, 2, CancellationToken.None);
        var second = await _f.Objects.ListPartsAsync("bucket", "k", upload.UploadId, first.NextPartNumberMarker, 2, CancellationToken.None);
        var last = await _f.Objects.ListPartsAsync("bucket", "k", upload.UploadId, second.NextPartNumberMarker, 2, CancellationToken.None);

        Assert.Equal([1, 2], first.Parts.Select(p => p.PartNumber));
        Assert.True(first.IsTruncated);
        Assert.Equal(2, first.NextPartNumberMarker);
        Assert.Equal([3, 4], second.Parts.Select(p => p.PartNumber));
        Assert.True(second.IsTruncated);
        Assert.Equal([5], last.Parts.Select(p => p.PartNumber));
        Assert.False(last.IsTruncated);
    }

    [Fact]
    public async Task List_uploads_pages_by_key_and_upload_id_markers_in_initiation_order()
    {
        var a1 = await CreateAsync("a");
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        var a2 = await CreateAsync("a");
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        var a3 = await CreateAsync("a");
        var b = await CreateAsync("b");
        var c = await CreateAsync("dir/c");
        var d = await CreateAsync("dir/d");

        var all = await ListUploadsAsync(new(string.Empty, null, null, null, 1000));
        Assert.Equal([a1.UploadId, a2.UploadId, a3.UploadId, b.UploadId, c.UploadId, d.UploadId], all.Uploads.Select(u => u.UploadId));

        var seen = new List<string>();
        string? keyMarker = null;
        string? idMarker = null;
        for (var pages = 0; pages < 20; pages++)
        {
            var page = await ListUploadsAsync(new(string.Empty, null, keyMarker, idMarker, 2));
            seen.AddRange(page.Uploads.Select(u => u.UploadId));
            if (!page.IsTruncated)
            {
                break;
            }

            (keyMarker, idMarker) = (page.NextKeyMarker, page.NextUploadIdMarker);
        }

        Assert.Equal(all.Uploads.Select(u => u.UploadId), seen);

        var grouped = await ListUploadsAsync(new(string.Empty, "/", null, null, 1000));
        Assert.Equal(["dir/"], grouped.CommonPrefixes);
        Assert.Equal(4, grouped.Uploads.Count);

        var prefixed = await ListUploadsAsync(new("dir/", null, null, null, 1000));
        Assert.Equal(["dir/c", "dir/d"], prefixed.Uploads.Select(u => u.Key));

        var afterKey = await ListUploadsAsync(new(string.Empty, null, "a", null, 1000));
        Assert.Equal("b", afterKey.Uploads[0].Key);

        var truncatedAtPrefix = await ListUploadsAsync(new(string.Empty, "/", "b", null, 1));
        Assert.Equal(["dir/"], truncatedAtPrefix.CommonPrefixes);
        Assert.False(truncatedAtPrefix.IsTruncated);
    }

    private async Task<string> ReadCompletedAsync(MultipartUpload upload, params CompletedPart[] parts)
    {
        _ = await CompleteAsync(upload, parts);
        return await _f.ReadTextAsync(upload.Key);
    }

    private Task<ObjectInfo> CompleteAsync(MultipartUpload upload, params CompletedPart[] parts) =>
        _f.Objects.CompleteMultipartUploadAsync("bucket", upload.Key, upload.UploadId, parts, CancellationToken.None);

    private Task<MultipartUpload> CreateAsync(string key) =>
        _f.Objects.CreateMultipartUploadAsync("bucket", key, StoreFixture.Write("text/plain", new Dictionary<string, string> { ["t"] = "v" }), CancellationToken.None);

    private Task<PartInfo> UploadAsync(MultipartUpload upload, int partNumber, byte[] bytes) =>
        _f.Objects.UploadPartAsync("bucket", upload.Key, upload.UploadId, partNumber, StoreFixture.Body(bytes), new PartWrite(), CancellationToken.None);

    private Task<ListMultipartUploadsPage> ListUploadsAsync(ListMultipartUploadsQuery query) =>
        _f.Objects.ListMultipartUploadsAsync("bucket", query, CancellationToken.None);
}
