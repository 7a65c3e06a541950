using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Tally.AccessLogs.Records;
using Tally.Server.Tests.Logging;

namespace Tally.Server.Tests.Versioning;

/// <summary>Bucket versioning through the AWS SDK: versioned PUT/GET/DELETE, delete markers, the null version, ListObjectVersions.</summary>
public sealed class VersioningTests() : ServerWithBucket("versioned")
{
    [Fact]
    public async Task Versioning_status_is_empty_until_enabled_then_enabled_or_suspended()
    {
        // The SDK reads an empty VersioningConfiguration as Off.
        var never = await S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Bucket });
        Assert.Equal(VersionStatus.Off, never.VersioningConfig.Status);

        await SetVersioningAsync(VersionStatus.Enabled);
        Assert.Equal(VersionStatus.Enabled, (await S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Bucket })).VersioningConfig.Status);

        await SetVersioningAsync(VersionStatus.Suspended);
        Assert.Equal(VersionStatus.Suspended, (await S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Bucket })).VersioningConfig.Status);
    }

    [Fact]
    public async Task Bad_status_is_MalformedXML_and_mfa_delete_NotImplemented_and_neither_changes_anything()
    {
        var bad = new PutBucketVersioningRequest { BucketName = Bucket, VersioningConfig = new S3BucketVersioningConfig { Status = new VersionStatus("Paused") } };
        _ = await S3Assert.FailsWith("MalformedXML", HttpStatusCode.BadRequest, () => S3.PutBucketVersioningAsync(bad));
        var mfa = new PutBucketVersioningRequest { BucketName = Bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled, EnableMfaDelete = true }, MfaCodes = new MfaCodes { SerialNumber = "s", AuthenticationValue = "1" } };
        _ = await S3Assert.FailsWith("NotImplemented", HttpStatusCode.NotImplemented, () => S3.PutBucketVersioningAsync(mfa));
        Assert.Equal(VersionStatus.Off, (await S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Bucket })).VersioningConfig.Status);
    }

    [Fact]
    public async Task Each_put_in_an_enabled_bucket_creates_a_version_readable_by_its_id()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var v1 = await PutTextAsync("k", "one");
        var v2 = await PutTextAsync("k", "two");

        Assert.False(string.IsNullOrEmpty(v1));
        Assert.NotEqual("null", v1);
        Assert.NotEqual(v1, v2);

        using (var latest = await S3.GetObjectAsync(Bucket, "k"))
        {
            Assert.Equal(v2, latest.VersionId);
            Assert.Equal("two", await ReadAsync(latest));
        }

        using (var first = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "k", VersionId = v1 }))
        {
            Assert.Equal(v1, first.VersionId);
            Assert.Equal("one", await ReadAsync(first));
        }

        var head = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = "k", VersionId = v1 });
        Assert.Equal(v1, head.VersionId);
        Assert.Equal(3, head.ContentLength);

        _ = await S3Assert.FailsWith("NoSuchVersion", HttpStatusCode.NotFound, () => S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "k", VersionId = new string('A', 32) }));
        _ = await S3Assert.FailsWith("InvalidArgument", HttpStatusCode.BadRequest, () => S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "k", VersionId = "not-a-version" }));
    }

    [Fact]
    public async Task Delete_in_an_enabled_bucket_adds_a_marker_that_answers_404_and_405_with_its_headers()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var v1 = await PutTextAsync("k", "one");

        var deleted = await S3.DeleteObjectAsync(Bucket, "k");
        Assert.Equal(HttpStatusCode.NoContent, deleted.HttpStatusCode);
        Assert.Equal("true", deleted.DeleteMarker);
        var markerId = deleted.VersionId;
        Assert.False(string.IsNullOrEmpty(markerId));
        Assert.NotEqual(v1, markerId);

        using var http = Server.Http();
        using (var get = await http.GetAsync(await PresignAsync("k", null, HttpVerb.GET)))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
            Assert.Equal("true", Header(get, "x-amz-delete-marker"));
            Assert.Equal(markerId, Header(get, "x-amz-version-id"));
            Assert.Contains("<Code>NoSuchKey</Code>", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var byId = await http.GetAsync(await PresignAsync("k", markerId, HttpVerb.GET)))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, byId.StatusCode);
            Assert.Equal("true", Header(byId, "x-amz-delete-marker"));
            Assert.Equal(markerId, Header(byId, "x-amz-version-id"));
            Assert.Equal("DELETE", byId.Content.Headers.Allow.Single());
            var body = await byId.Content.ReadAsStringAsync();
            Assert.Contains("<Code>MethodNotAllowed</Code>", body, StringComparison.Ordinal);
            Assert.Contains("<ResourceType>DeleteMarker</ResourceType>", body, StringComparison.Ordinal);
        }

        using (var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, await PresignAsync("k", null, HttpVerb.HEAD))))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
            Assert.Equal("true", Header(head, "x-amz-delete-marker"));
        }

        var listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
        Assert.Empty(listed.S3Objects ?? []);

        // Removing the marker by its id brings the object back.
        var unmarked = await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "k", VersionId = markerId });
        Assert.Equal("true", unmarked.DeleteMarker);
        Assert.Equal(markerId, unmarked.VersionId);
        Assert.Equal("one", await GetTextAsync("k"));
    }

    [Fact]
    public async Task Delete_by_version_id_removes_that_version_for_good()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var v1 = await PutTextAsync("k", "one");
        var v2 = await PutTextAsync("k", "two");

        var deleted = await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "k", VersionId = v2 });

        Assert.Equal(v2, deleted.VersionId);
        Assert.Null(deleted.DeleteMarker);
        Assert.Equal("one", await GetTextAsync("k"));
        var versions = await ListVersionsAsync();
        Assert.Equal([v1], versions.Select(v => v.VersionId));
        Assert.True(versions[0].IsLatest);
    }

    [Fact]
    public async Task List_object_versions_shows_versions_and_markers_newest_first_with_paging_markers()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var a1 = await PutTextAsync("a", "1");
        var a2 = await PutTextAsync("a", "22");
        var b1 = await PutTextAsync("dir/b", "333");
        var marker = (await S3.DeleteObjectAsync(Bucket, "dir/b")).VersionId;

        var all = await ListVersionsAsync();
        Assert.Equal([a2, a1, marker, b1], all.Select(v => v.VersionId));
        Assert.Equal([false, false, true, false], all.Select(v => v.IsDeleteMarker == true));
        Assert.Equal([true, false, true, false], all.Select(v => v.IsLatest));
        Assert.Equal([2L, 1L, 0L, 3L], all.Select(v => v.Size ?? 0));
        Assert.Equal("a", all[0].Key);

        var first = await S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket, MaxKeys = 3 });
        Assert.True(first.IsTruncated);
        Assert.Equal("dir/b", first.NextKeyMarker);
        Assert.Equal(marker, first.NextVersionIdMarker);
        var second = await S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket, MaxKeys = 3, KeyMarker = first.NextKeyMarker, VersionIdMarker = first.NextVersionIdMarker });
        Assert.False(second.IsTruncated);
        Assert.Equal([b1], second.Versions.Select(v => v.VersionId));

        var rolled = await S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket, Delimiter = "/" });
        Assert.Equal(["a", "a"], rolled.Versions.Select(v => v.Key));
        Assert.Equal(["dir/"], rolled.CommonPrefixes);

        var underDir = await S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket, Prefix = "dir/" });
        Assert.Equal([marker, b1], underDir.Versions.Select(v => v.VersionId));

        _ = await S3Assert.FailsWith("InvalidArgument", HttpStatusCode.BadRequest, () => S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket, VersionIdMarker = a1 }));
    }

    [Fact]
    public async Task Suspended_bucket_writes_and_deletes_the_null_version_and_keeps_the_others()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var v1 = await PutTextAsync("k", "versioned");
        await SetVersioningAsync(VersionStatus.Suspended);

        Assert.Equal("null", await PutTextAsync("k", "null-1"));
        Assert.Equal("null", await PutTextAsync("k", "null-2"));
        Assert.Equal([("null", true), (v1, false)], (await ListVersionsAsync()).Select(v => (v.VersionId, v.IsLatest)));
        using (var nullVersion = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "k", VersionId = "null" }))
        {
            Assert.Equal("null", nullVersion.VersionId);
            Assert.Equal("null-2", await ReadAsync(nullVersion));
        }

        var deleted = await S3.DeleteObjectAsync(Bucket, "k");
        Assert.Equal("true", deleted.DeleteMarker);
        Assert.Equal("null", deleted.VersionId);
        var versions = await ListVersionsAsync();
        Assert.Equal([("null", true), (v1, false)], versions.Select(v => (v.VersionId, v.IsDeleteMarker == true)));

        Assert.Equal("versioned", await GetTextAsync("k", v1));
    }

    [Fact]
    public async Task Objects_written_before_versioning_are_the_null_version()
    {
        var before = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "old" });
        Assert.Null(before.VersionId);

        await SetVersioningAsync(VersionStatus.Enabled);
        var v1 = await PutTextAsync("k", "new");

        Assert.Equal([v1, "null"], (await ListVersionsAsync()).Select(v => v.VersionId));
        Assert.Equal("old", await GetTextAsync("k", "null"));
    }

    [Fact]
    public async Task Copy_from_a_version_copies_that_version_and_names_both_ids()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var v1 = await PutTextAsync("src", "first");
        _ = await PutTextAsync("src", "second");

        var copy = await S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = Bucket,
            SourceKey = "src",
            SourceVersionId = v1,
            DestinationBucket = Bucket,
            DestinationKey = "dst",
        });

        Assert.Equal(v1, copy.SourceVersionId);
        Assert.False(string.IsNullOrEmpty(copy.VersionId));
        Assert.Equal("first", await GetTextAsync("dst"));
        Assert.Equal("first", await GetTextAsync("dst", copy.VersionId));

        var marker = (await S3.DeleteObjectAsync(Bucket, "src")).VersionId;
        _ = await S3Assert.FailsWith("InvalidRequest", HttpStatusCode.BadRequest, () => S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = Bucket,
            SourceKey = "src",
            SourceVersionId = marker,
            DestinationBucket = Bucket,
            DestinationKey = "dst2",
        }));
        _ = await S3Assert.FailsWith("NoSuchKey", HttpStatusCode.NotFound, () => S3.CopyObjectAsync(Bucket, "src", Bucket, "dst3"));
    }

    [Fact]
    public async Task Upload_part_copy_from_a_version_copies_that_version()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var v1 = await PutTextAsync("src", "first");
        _ = await PutTextAsync("src", "second");
        var init = await S3.InitiateMultipartUploadAsync(Bucket, "joined");

        var part = await S3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = Bucket,
            SourceKey = "src",
            SourceVersionId = v1,
            DestinationBucket = Bucket,
            DestinationKey = "joined",
            UploadId = init.UploadId,
            PartNumber = 1,
        });
        _ = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "joined", UploadId = init.UploadId, PartETags = [new PartETag(1, part.ETag)] });

        Assert.Equal(v1, part.CopySourceVersionId);
        Assert.Equal("first", await GetTextAsync("joined"));
    }

    [Fact]
    public async Task Version_listing_with_url_encoding_round_trips_awkward_keys()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var v1 = await PutTextAsync("a b+c&d", "1");

        var listed = await S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket, Encoding = EncodingType.Url });

        // The SDK hands encoded keys through as they came (as ListObjectsV2 in ListingTests).
        var version = Assert.Single(listed.Versions);
        Assert.Equal("a%20b%2Bc%26d", version.Key);
        Assert.Equal("a b+c&d", Uri.UnescapeDataString(version.Key));
        Assert.Equal(v1, version.VersionId);
    }

    [Fact]
    public async Task Delete_objects_reports_markers_and_removes_versions_by_id()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var a1 = await PutTextAsync("a", "1");
        var b1 = await PutTextAsync("b", "1");

        var result = await S3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = Bucket,
            Objects = [new KeyVersion { Key = "a" }, new KeyVersion { Key = "b", VersionId = b1 }],
        });

        var deleted = result.DeletedObjects.OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
        Assert.Equal("a", deleted[0].Key);
        Assert.True(deleted[0].DeleteMarker);
        Assert.False(string.IsNullOrEmpty(deleted[0].DeleteMarkerVersionId));
        Assert.Null(deleted[0].VersionId);
        Assert.Equal("b", deleted[1].Key);
        Assert.Equal(b1, deleted[1].VersionId);
        Assert.False(deleted[1].DeleteMarker ?? false);

        var versions = await ListVersionsAsync();
        Assert.Equal([deleted[0].DeleteMarkerVersionId, a1], versions.Select(v => v.VersionId));
    }

    [Fact]
    public async Task Tagging_addresses_one_version()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var v1 = await PutTextAsync("k", "one");
        _ = await PutTextAsync("k", "two");

        _ = await S3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = Bucket, Key = "k", VersionId = v1, Tagging = new Tagging { TagSet = [new Tag { Key = "age", Value = "old" }] } });

        var old = await S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = "k", VersionId = v1 });
        Assert.Equal(v1, old.VersionId);
        Assert.Equal("old", Assert.Single(old.Tagging).Value);
        Assert.Empty((await S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = "k" })).Tagging ?? []);
    }

    [Fact]
    public async Task Multipart_upload_in_an_enabled_bucket_creates_a_version()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var v1 = await PutTextAsync("k", "one");
        var init = await S3.InitiateMultipartUploadAsync(Bucket, "k");
        var part = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "k", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream("joined"u8.ToArray()) });

        var done = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket,
            Key = "k",
            UploadId = init.UploadId,
            PartETags = [new PartETag(1, part.ETag)],
        });

        Assert.False(string.IsNullOrEmpty(done.VersionId));
        Assert.Equal([done.VersionId, v1], (await ListVersionsAsync()).Select(v => v.VersionId));
    }

    [Fact]
    public async Task A_bucket_is_not_empty_while_any_version_or_marker_remains()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var v1 = await PutTextAsync("k", "one");
        var marker = (await S3.DeleteObjectAsync(Bucket, "k")).VersionId;
        _ = await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "k", VersionId = v1 });

        _ = await S3Assert.FailsWith("BucketNotEmpty", HttpStatusCode.Conflict, () => S3.DeleteBucketAsync(Bucket));

        _ = await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "k", VersionId = marker });
        _ = await S3.DeleteBucketAsync(Bucket);
    }

    [Fact]
    public async Task Access_log_records_name_the_version_in_the_request_or_the_one_created()
    {
        await S3.PutBucketAsync("logs");
        await LogHarness.EnableAsync(S3, Bucket, "logs", "v/");
        await SetVersioningAsync(VersionStatus.Enabled);
        var put = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "one" });
        using (var get = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "k", VersionId = put.VersionId }))
        {
            _ = await ReadAsync(get);
        }

        using (var plain = await S3.GetObjectAsync(Bucket, "k"))
        {
            _ = await ReadAsync(plain);
        }

        var delete = await S3.DeleteObjectAsync(Bucket, "k");

        var lines = await LogHarness.FlushAndReadAsync(Server, S3, "logs", "v/");
        Assert.Equal(put.VersionId, LogHarness.Single(lines, put.ResponseMetadata.RequestId, "REST.PUT.OBJECT").F(AccessLogField.VersionId));
        var gets = lines.Where(l => l.F(AccessLogField.Operation) == "REST.GET.OBJECT").Select(l => l.F(AccessLogField.VersionId)).ToList();
        Assert.Equal(2, gets.Count);
        Assert.Contains(put.VersionId, gets);
        Assert.Contains("-", gets);
        Assert.Equal(delete.VersionId, LogHarness.Single(lines, delete.ResponseMetadata.RequestId, "REST.DELETE.OBJECT").F(AccessLogField.VersionId));
        Assert.Equal("-", lines.Single(l => l.F(AccessLogField.Operation) == "REST.PUT.VERSIONING").F(AccessLogField.VersionId));
    }

    private async Task SetVersioningAsync(VersionStatus status) =>
        _ = await S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = Bucket, VersioningConfig = new S3BucketVersioningConfig { Status = status } });

    private async Task<string> PutTextAsync(string key, string text) =>
        (await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = text })).VersionId;

    private async Task<string> GetTextAsync(string key, string? versionId = null)
    {
        using var get = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key, VersionId = versionId });
        return await ReadAsync(get);
    }

    private static async Task<string> ReadAsync(GetObjectResponse response)
    {
        using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private async Task<List<S3ObjectVersion>> ListVersionsAsync() =>
        (await S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket })).Versions ?? [];

    private Task<string> PresignAsync(string key, string? versionId, HttpVerb verb) =>
        S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            VersionId = versionId,
            Verb = verb,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Protocol = Protocol.HTTP,
        });

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? values.Single() : null;
}
