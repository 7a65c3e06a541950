using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Tally.Server.Tests;

public sealed class ObjectTests() : ServerWithBucket("objects")
{
    [Fact]
    public async Task Put_then_get_returns_the_same_bytes_headers_and_metadata()
    {
        var body = RandomNumberGenerator.GetBytes(100_000);
        var put = new PutObjectRequest { BucketName = Bucket, Key = "dir/file.bin", InputStream = new MemoryStream(body), ContentType = "application/x-test" };
        put.Metadata.Add("colour", "blue");
        put.Headers.CacheControl = "max-age=60";
        put.Headers.ContentDisposition = "attachment; filename=\"f.bin\"";
        var putResponse = await S3.PutObjectAsync(put);
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"", putResponse.ETag);

        using var get = await S3.GetObjectAsync(Bucket, "dir/file.bin");
        Assert.Equal(body, await ReadAllAsync(get.ResponseStream));
        Assert.Equal("application/x-test", get.Headers.ContentType);
        Assert.Equal("blue", get.Metadata["x-amz-meta-colour"]);
        Assert.Equal("max-age=60", get.Headers.CacheControl);
        Assert.Equal("attachment; filename=\"f.bin\"", get.Headers.ContentDisposition);
        Assert.Equal(putResponse.ETag, get.ETag);
    }

    [Fact]
    public async Task Overwriting_a_key_replaces_the_object_whole()
    {
        await PutTextAsync("k", "first version");
        await PutTextAsync("k", "second");
        Assert.Equal("second", await GetTextAsync("k"));
    }

    [Theory]
    [InlineData(2L, 5L, "2345")]
    [InlineData(7L, null, "789")]
    public async Task Ranged_get_returns_206_with_the_requested_bytes(long start, long? end, string expected)
    {
        await PutTextAsync("digits", "0123456789");
        using var get = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "digits", ByteRange = new ByteRange($"bytes={start}-{end}") });
        Assert.Equal(HttpStatusCode.PartialContent, get.HttpStatusCode);
        Assert.Equal(expected, Encoding.UTF8.GetString(await ReadAllAsync(get.ResponseStream)));
        Assert.Equal($"bytes {start}-{start + expected.Length - 1}/10", get.ContentRange);
    }

    [Fact]
    public async Task Suffix_range_returns_the_last_bytes()
    {
        await PutTextAsync("digits", "0123456789");
        using var get = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "digits", ByteRange = new ByteRange("bytes=-3") });
        Assert.Equal("789", Encoding.UTF8.GetString(await ReadAllAsync(get.ResponseStream)));
    }

    [Fact]
    public async Task Range_beyond_the_end_answers_416_InvalidRange()
    {
        await PutTextAsync("digits", "0123456789");
        await S3Assert.FailsWith("InvalidRange", HttpStatusCode.RequestedRangeNotSatisfiable,
            () => S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "digits", ByteRange = new ByteRange(10, 20) }));
    }

    [Fact]
    public async Task If_match_with_another_etag_answers_412_and_if_none_match_the_same_answers_304()
    {
        var put = await PutTextAsync("cond", "content");
        await S3Assert.FailsWith("PreconditionFailed", HttpStatusCode.PreconditionFailed,
            () => S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "cond", EtagToMatch = "\"0000\"" }));
        var notModified = await Assert.ThrowsAnyAsync<AmazonS3Exception>(
            () => S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "cond", EtagToNotMatch = put.ETag }));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Response_overrides_change_the_answered_headers()
    {
        await PutTextAsync("override", "x");
        var request = new GetObjectRequest { BucketName = Bucket, Key = "override" };
        request.ResponseHeaderOverrides.ContentType = "text/x-override";
        request.ResponseHeaderOverrides.ContentDisposition = "inline";
        using var get = await S3.GetObjectAsync(request);
        Assert.Equal("text/x-override", get.Headers.ContentType);
        Assert.Equal("inline", get.Headers.ContentDisposition);
    }

    [Fact]
    public async Task Missing_keys_answer_NoSuchKey_and_head_answers_404()
    {
        await S3Assert.FailsWith("NoSuchKey", HttpStatusCode.NotFound, () => S3.GetObjectAsync(Bucket, "absent"));
        var head = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectMetadataAsync(Bucket, "absent"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Delete_removes_the_object_and_deleting_again_succeeds()
    {
        await PutTextAsync("gone", "x");
        Assert.Equal(HttpStatusCode.NoContent, (await S3.DeleteObjectAsync(Bucket, "gone")).HttpStatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await S3.DeleteObjectAsync(Bucket, "gone")).HttpStatusCode);
        await S3Assert.FailsWith("NoSuchKey", HttpStatusCode.NotFound, () => S3.GetObjectAsync(Bucket, "gone"));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("a/../b")]
    [InlineData("100% sure+plus")]
    [InlineData("spaces in the name ")]
    [InlineData("ünïcødé/日本語/😀")]
    [InlineData("tab\tand\u0001control")]
    public async Task Hostile_keys_round_trip_exactly_and_stay_inside_the_data_dir(string key)
    {
        await PutTextAsync(key, "payload:" + key);
        Assert.Equal("payload:" + key, await GetTextAsync(key));
        var listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Encoding = EncodingType.Url });
        // With encoding-type=url the SDK hands back the keys as encoded by the server.
        Assert.Contains(listed.S3Objects ?? [], o => Uri.UnescapeDataString(o.Key) == key);
        // Keys never become paths: nothing under the data dir is named after a key's parts.
        var lastSegment = key.Split('/')[^1];
        Assert.DoesNotContain(Directory.EnumerateFiles(Server.DataDir, "*", SearchOption.AllDirectories), f => Path.GetFileName(f) == lastSegment);
    }

    [Fact]
    public async Task A_1024_byte_key_is_accepted_and_1025_bytes_is_KeyTooLongError()
    {
        var ok = new string('k', 1024);
        await PutTextAsync(ok, "x");
        Assert.Equal("x", await GetTextAsync(ok));
        await S3Assert.FailsWith("KeyTooLongError", HttpStatusCode.BadRequest, () => PutTextAsync(new string('k', 1025), "x"));
    }

    [Fact]
    public async Task Bad_content_md5_answers_BadDigest_and_stores_nothing()
    {
        var put = new PutObjectRequest { BucketName = Bucket, Key = "md5", ContentBody = "hello", MD5Digest = Convert.ToBase64String(MD5.HashData("other"u8.ToArray())) };
        await S3Assert.FailsWith("BadDigest", HttpStatusCode.BadRequest, () => S3.PutObjectAsync(put));
        await S3Assert.FailsWith("NoSuchKey", HttpStatusCode.NotFound, () => S3.GetObjectAsync(Bucket, "md5"));
    }

    [Fact]
    public async Task Copy_keeps_metadata_by_default_and_replaces_it_on_request()
    {
        var put = new PutObjectRequest { BucketName = Bucket, Key = "src", ContentBody = "copy me", ContentType = "text/plain" };
        put.Metadata.Add("origin", "source");
        await S3.PutObjectAsync(put);

        await S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "src", DestinationBucket = Bucket, DestinationKey = "copy" });
        var copied = await S3.GetObjectMetadataAsync(Bucket, "copy");
        Assert.Equal("source", copied.Metadata["x-amz-meta-origin"]);
        Assert.Equal("copy me", await GetTextAsync("copy"));

        var replace = new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "src", DestinationBucket = Bucket, DestinationKey = "replaced", MetadataDirective = S3MetadataDirective.REPLACE, ContentType = "text/other" };
        replace.Metadata.Add("origin", "replaced");
        await S3.CopyObjectAsync(replace);
        var replaced = await S3.GetObjectMetadataAsync(Bucket, "replaced");
        Assert.Equal("replaced", replaced.Metadata["x-amz-meta-origin"]);
        Assert.Equal("text/other", replaced.Headers.ContentType);
    }

    [Fact]
    public async Task Copy_onto_itself_needs_REPLACE()
    {
        await PutTextAsync("self", "x");
        await S3Assert.FailsWith("InvalidRequest", HttpStatusCode.BadRequest,
            () => S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "self", DestinationBucket = Bucket, DestinationKey = "self" }));
        var replace = new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "self", DestinationBucket = Bucket, DestinationKey = "self", MetadataDirective = S3MetadataDirective.REPLACE };
        replace.Metadata.Add("touched", "yes");
        await S3.CopyObjectAsync(replace);
        Assert.Equal("yes", (await S3.GetObjectMetadataAsync(Bucket, "self")).Metadata["x-amz-meta-touched"]);
        Assert.Equal("x", await GetTextAsync("self"));
    }

    [Fact]
    public async Task Copy_with_a_failing_copy_source_condition_answers_412()
    {
        await PutTextAsync("c-src", "x");
        await S3Assert.FailsWith("PreconditionFailed", HttpStatusCode.PreconditionFailed,
            () => S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "c-src", DestinationBucket = Bucket, DestinationKey = "c-dst", ETagToMatch = "\"nope\"" }));
    }

    [Fact]
    public async Task Multi_delete_reports_each_key_and_quiet_mode_reports_only_errors()
    {
        await PutTextAsync("d1", "x");
        await PutTextAsync("d2", "x");
        var verbose = await S3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Bucket, Objects = [new KeyVersion { Key = "d1" }, new KeyVersion { Key = "d2" }, new KeyVersion { Key = "never-existed" }] });
        Assert.Equal(3, verbose.DeletedObjects.Count);
        await S3Assert.FailsWith("NoSuchKey", HttpStatusCode.NotFound, () => S3.GetObjectAsync(Bucket, "d1"));

        await PutTextAsync("d3", "x");
        var quiet = await S3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Bucket, Quiet = true, Objects = [new KeyVersion { Key = "d3" }] });
        Assert.Empty(quiet.DeletedObjects ?? []);
    }

    [Fact]
    public async Task Object_tags_can_be_set_read_and_removed()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "tagged", ContentBody = "x", TagSet = [new Tag { Key = "team", Value = "logs" }] });
        var tags = await S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = "tagged" });
        Assert.Equal("logs", Assert.Single(tags.Tagging).Value);

        await S3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = Bucket, Key = "tagged", Tagging = new Tagging { TagSet = [new Tag { Key = "a", Value = "1" }, new Tag { Key = "b", Value = "2" }] } });
        Assert.Equal(2, (await S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = "tagged" })).Tagging.Count);

        await S3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = Bucket, Key = "tagged" });
        Assert.Empty((await S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = "tagged" })).Tagging ?? []);
    }

    [Fact]
    public async Task An_empty_put_with_expect_continue_is_answered_and_the_connection_closed()
    {
        // botocore misreads the next response on a connection whose 100-continue was never
        // answered; S3 (and Tally) close it instead (S3Dispatcher.CloseIfContinueWasNotSent).
        var url = await S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = Bucket, Key = "empty", Verb = HttpVerb.PUT, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent([]) };
        request.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.ConnectionClose);
        Assert.Equal(0, (await S3.GetObjectMetadataAsync(Bucket, "empty")).ContentLength);
    }

    internal static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private Task<PutObjectResponse> PutTextAsync(string key, string text) =>
        S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = text });

    private async Task<string> GetTextAsync(string key)
    {
        using var get = await S3.GetObjectAsync(Bucket, key);
        return Encoding.UTF8.GetString(await ReadAllAsync(get.ResponseStream));
    }
}
