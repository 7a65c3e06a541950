using System.Text.Json;
using Tally.EndToEnd.Hosting;

namespace Tally.EndToEnd.Clients;

/// <summary>Debian's aws CLI (v2) against the real server, the commands people type every day.</summary>
[Collection(TallyServerCollection.Name)]
public sealed class AwsCliTests(TallyServerFixture server) : IDisposable
{
    private static readonly int MiB = 1024 * 1024;
    private readonly ClientSession _client = new(server.EndpointUrl);

    public void Dispose() => _client.Dispose();

    [ClientFact(ClientTools.Aws)]
    public async Task Makes_lists_and_removes_a_bucket_with_aws_s3()
    {
        var bucket = ClientSession.NewBucketName("mb");

        var made = (await _client.AwsAsync("s3", "mb", $"s3://{bucket}")).ShouldSucceed();
        Assert.Contains($"make_bucket: {bucket}", made.StandardOutput, StringComparison.Ordinal);
        var listed = (await _client.AwsAsync("s3", "ls")).ShouldSucceed();
        Assert.Contains(bucket, listed.StandardOutput, StringComparison.Ordinal);

        (await _client.AwsAsync("s3", "rb", $"s3://{bucket}")).ShouldSucceed();
        var after = (await _client.AwsAsync("s3", "ls")).ShouldSucceed();
        Assert.DoesNotContain(bucket, after.StandardOutput, StringComparison.Ordinal);
    }

    [ClientFact(ClientTools.Aws)]
    public async Task Copies_a_file_up_and_down_byte_exact_with_aws_s3_cp()
    {
        var bucket = await MakeBucketAsync("cp");
        var content = ClientSession.Content(300 * 1024, seed: 1);
        var local = _client.WriteFile("up/photo one.bin", content);

        (await _client.AwsAsync("s3", "cp", local, $"s3://{bucket}/photos/photo one.bin")).ShouldSucceed();
        var listed = (await _client.AwsAsync("s3", "ls", $"s3://{bucket}/photos/")).ShouldSucceed();
        Assert.Contains($"{content.Length} photo one.bin", listed.StandardOutput, StringComparison.Ordinal);

        (await _client.AwsAsync("s3", "cp", $"s3://{bucket}/photos/photo one.bin", _client.PathOf("down/copy.bin"))).ShouldSucceed();
        Assert.Equal(content, await File.ReadAllBytesAsync(_client.PathOf("down/copy.bin")));

        (await _client.AwsAsync("s3", "rm", $"s3://{bucket}/photos/photo one.bin")).ShouldSucceed();
        Assert.Empty(await ListKeysAsync(bucket));
    }

    [ClientFact(ClientTools.Aws)]
    public async Task Uploads_20_MiB_in_parts_with_aws_s3_cp_and_reads_it_back_byte_exact()
    {
        var bucket = await MakeBucketAsync("mpu");
        var content = ClientSession.Content(20 * MiB, seed: 2);
        var local = _client.WriteFile("big.bin", content);

        (await _client.AwsAsync("s3", "cp", local, $"s3://{bucket}/big.bin")).ShouldSucceed();

        var head = Json((await _client.AwsAsync("s3api", "head-object", "--bucket", bucket, "--key", "big.bin")).ShouldSucceed());
        Assert.Equal(content.Length, head.GetProperty("ContentLength").GetInt64());
        // The CLI's 5MB chunk size is 5 MiB: four parts, and AWS's multipart ETag for them.
        Assert.Equal(S3Facts.MultipartETag(content, 5 * MiB), head.GetProperty("ETag").GetString());

        // The download is split into ranged GETs by the same 5 MiB setting.
        (await _client.AwsAsync("s3", "cp", $"s3://{bucket}/big.bin", _client.PathOf("big-copy.bin"))).ShouldSucceed();
        Assert.Equal(content, await File.ReadAllBytesAsync(_client.PathOf("big-copy.bin")));
    }

    [ClientFact(ClientTools.Aws)]
    public async Task Syncs_a_directory_tree_both_ways_and_deletes_with_aws_s3_sync()
    {
        var bucket = await MakeBucketAsync("sync");
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["readme.txt"] = "hello from tally\n"u8.ToArray(),
            ["docs/a.md"] = ClientSession.Content(1024, seed: 3),
            ["docs/deep/b.bin"] = ClientSession.Content(70 * 1024, seed: 4),
            ["with space/c d.txt"] = ClientSession.Content(10, seed: 5),
            ["unicodé/ünï.txt"] = ClientSession.Content(2048, seed: 6),
            ["empty.txt"] = [],
        };
        foreach (var (path, content) in files)
        {
            _client.WriteFile(Path.Combine("tree", path), content);
        }

        (await _client.AwsAsync("s3", "sync", _client.PathOf("tree"), $"s3://{bucket}/tree")).ShouldSucceed();
        Assert.Equal(files.Keys.Select(k => "tree/" + k).Order(StringComparer.Ordinal), await ListKeysAsync(bucket));

        (await _client.AwsAsync("s3", "sync", $"s3://{bucket}/tree", _client.PathOf("mirror"))).ShouldSucceed();
        foreach (var (path, content) in files)
        {
            Assert.Equal(content, await File.ReadAllBytesAsync(_client.PathOf(Path.Combine("mirror", path))));
        }

        File.Delete(_client.PathOf("tree/docs/a.md"));
        (await _client.AwsAsync("s3", "sync", "--delete", _client.PathOf("tree"), $"s3://{bucket}/tree")).ShouldSucceed();
        Assert.DoesNotContain("tree/docs/a.md", await ListKeysAsync(bucket));
        Assert.Equal(files.Count - 1, (await ListKeysAsync(bucket)).Count);
    }

    [ClientFact(ClientTools.Aws)]
    public async Task Puts_heads_and_gets_ranges_with_aws_s3api()
    {
        var bucket = await MakeBucketAsync("api");
        var content = ClientSession.Content(1000, seed: 7);
        var local = _client.WriteFile("body.bin", content);

        var put = Json((await _client.AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "k/v.bin", "--body", local,
            "--content-type", "application/x-tally", "--metadata", "color=blue,size=ten")).ShouldSucceed());
        Assert.Equal(S3Facts.ETag(content), put.GetProperty("ETag").GetString());

        var head = Json((await _client.AwsAsync("s3api", "head-object", "--bucket", bucket, "--key", "k/v.bin")).ShouldSucceed());
        Assert.Equal(1000, head.GetProperty("ContentLength").GetInt64());
        Assert.Equal("application/x-tally", head.GetProperty("ContentType").GetString());
        Assert.Equal("blue", head.GetProperty("Metadata").GetProperty("color").GetString());
        Assert.Equal("ten", head.GetProperty("Metadata").GetProperty("size").GetString());
        Assert.Equal(S3Facts.ETag(content), head.GetProperty("ETag").GetString());

        var range = Json((await _client.AwsAsync("s3api", "get-object", "--bucket", bucket, "--key", "k/v.bin",
            "--range", "bytes=100-199", _client.PathOf("range.bin"))).ShouldSucceed());
        Assert.Equal("bytes 100-199/1000", range.GetProperty("ContentRange").GetString());
        Assert.Equal(content[100..200], await File.ReadAllBytesAsync(_client.PathOf("range.bin")));

        var suffix = Json((await _client.AwsAsync("s3api", "get-object", "--bucket", bucket, "--key", "k/v.bin",
            "--range", "bytes=-50", _client.PathOf("suffix.bin"))).ShouldSucceed());
        Assert.Equal("bytes 950-999/1000", suffix.GetProperty("ContentRange").GetString());
        Assert.Equal(content[950..], await File.ReadAllBytesAsync(_client.PathOf("suffix.bin")));

        var beyond = (await _client.AwsAsync("s3api", "get-object", "--bucket", bucket, "--key", "k/v.bin",
            "--range", "bytes=5000-6000", _client.PathOf("none.bin"))).ShouldFail();
        Assert.Contains("InvalidRange", beyond.StandardError, StringComparison.Ordinal);
    }

    [ClientFact(ClientTools.Aws)]
    public async Task Lists_with_prefix_delimiter_and_continuation_with_aws_s3api_list_objects_v2()
    {
        var bucket = await MakeBucketAsync("list");
        var local = _client.WriteFile("one.txt", "1"u8.ToArray());
        string[] keys = ["a/1", "a/2", "a/3/x", "b/1", "c", "d+e f%g"];
        foreach (var key in keys)
        {
            (await _client.AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", key, "--body", local)).ShouldSucceed();
        }

        var top = Json((await _client.AwsAsync("s3api", "list-objects-v2", "--bucket", bucket, "--delimiter", "/")).ShouldSucceed());
        Assert.Equal(["c", "d+e f%g"], top.GetProperty("Contents").EnumerateArray().Select(o => o.GetProperty("Key").GetString()));
        Assert.Equal(["a/", "b/"], top.GetProperty("CommonPrefixes").EnumerateArray().Select(p => p.GetProperty("Prefix").GetString()));

        var underA = Json((await _client.AwsAsync("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", "a/", "--delimiter", "/")).ShouldSucceed());
        Assert.Equal(["a/1", "a/2"], underA.GetProperty("Contents").EnumerateArray().Select(o => o.GetProperty("Key").GetString()));
        Assert.Equal(["a/3/"], underA.GetProperty("CommonPrefixes").EnumerateArray().Select(p => p.GetProperty("Prefix").GetString()));

        // --page-size 2 makes the CLI follow continuation tokens over three requests and join the pages.
        var paged = Json((await _client.AwsAsync("s3api", "list-objects-v2", "--bucket", bucket, "--page-size", "2")).ShouldSucceed());
        Assert.Equal(keys.Order(StringComparer.Ordinal), paged.GetProperty("Contents").EnumerateArray().Select(o => o.GetProperty("Key").GetString()));

        var v1 = Json((await _client.AwsAsync("s3api", "list-objects", "--bucket", bucket, "--prefix", "a/")).ShouldSucceed());
        Assert.Equal(["a/1", "a/2", "a/3/x"], v1.GetProperty("Contents").EnumerateArray().Select(o => o.GetProperty("Key").GetString()));
    }

    [ClientFact(ClientTools.Aws)]
    public async Task Copies_objects_and_deletes_them_in_one_batch_with_aws_s3api()
    {
        var bucket = await MakeBucketAsync("copy");
        var content = ClientSession.Content(4096, seed: 8);
        var local = _client.WriteFile("src.bin", content);
        (await _client.AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "src", "--body", local,
            "--content-type", "text/plain", "--metadata", "origin=src")).ShouldSucceed();

        var copied = Json((await _client.AwsAsync("s3api", "copy-object", "--bucket", bucket, "--key", "dst", "--copy-source", $"{bucket}/src")).ShouldSucceed());
        Assert.Equal(S3Facts.ETag(content), copied.GetProperty("CopyObjectResult").GetProperty("ETag").GetString());
        var copyHead = Json((await _client.AwsAsync("s3api", "head-object", "--bucket", bucket, "--key", "dst")).ShouldSucceed());
        Assert.Equal("src", copyHead.GetProperty("Metadata").GetProperty("origin").GetString());
        Assert.Equal("text/plain", copyHead.GetProperty("ContentType").GetString());

        (await _client.AwsAsync("s3api", "copy-object", "--bucket", bucket, "--key", "replaced", "--copy-source", $"{bucket}/src",
            "--metadata-directive", "REPLACE", "--content-type", "application/json", "--metadata", "origin=copy")).ShouldSucceed();
        var replacedHead = Json((await _client.AwsAsync("s3api", "head-object", "--bucket", bucket, "--key", "replaced")).ShouldSucceed());
        Assert.Equal("copy", replacedHead.GetProperty("Metadata").GetProperty("origin").GetString());
        Assert.Equal("application/json", replacedHead.GetProperty("ContentType").GetString());

        (await _client.AwsAsync("s3api", "get-object", "--bucket", bucket, "--key", "dst", _client.PathOf("dst.bin"))).ShouldSucceed();
        Assert.Equal(content, await File.ReadAllBytesAsync(_client.PathOf("dst.bin")));

        var deleted = Json((await _client.AwsAsync("s3api", "delete-objects", "--bucket", bucket, "--delete",
            """{"Objects":[{"Key":"src"},{"Key":"dst"},{"Key":"replaced"},{"Key":"never-existed"}]}""")).ShouldSucceed());
        // S3 reports a key that did not exist as deleted too.
        Assert.Equal(["dst", "never-existed", "replaced", "src"],
            deleted.GetProperty("Deleted").EnumerateArray().Select(d => d.GetProperty("Key").GetString()).Order(StringComparer.Ordinal));
        Assert.Empty(await ListKeysAsync(bucket));
    }

    [ClientFact(ClientTools.Aws)]
    public async Task Runs_a_multipart_upload_step_by_step_with_aws_s3api()
    {
        var bucket = await MakeBucketAsync("parts");
        var part1 = ClientSession.Content(5 * MiB, seed: 9);
        var part2 = ClientSession.Content(MiB + 17, seed: 10);
        var part1File = _client.WriteFile("p1.bin", part1);
        var part2File = _client.WriteFile("p2.bin", part2);

        var created = Json((await _client.AwsAsync("s3api", "create-multipart-upload", "--bucket", bucket, "--key", "assembled.bin")).ShouldSucceed());
        var uploadId = created.GetProperty("UploadId").GetString()!;
        var etag1 = Json((await _client.AwsAsync("s3api", "upload-part", "--bucket", bucket, "--key", "assembled.bin",
            "--upload-id", uploadId, "--part-number", "1", "--body", part1File)).ShouldSucceed()).GetProperty("ETag").GetString();
        var etag2 = Json((await _client.AwsAsync("s3api", "upload-part", "--bucket", bucket, "--key", "assembled.bin",
            "--upload-id", uploadId, "--part-number", "2", "--body", part2File)).ShouldSucceed()).GetProperty("ETag").GetString();
        Assert.Equal(S3Facts.ETag(part1), etag1);
        Assert.Equal(S3Facts.ETag(part2), etag2);

        var parts = Json((await _client.AwsAsync("s3api", "list-parts", "--bucket", bucket, "--key", "assembled.bin", "--upload-id", uploadId)).ShouldSucceed());
        Assert.Equal([1, 2], parts.GetProperty("Parts").EnumerateArray().Select(p => p.GetProperty("PartNumber").GetInt32()));
        var uploads = Json((await _client.AwsAsync("s3api", "list-multipart-uploads", "--bucket", bucket)).ShouldSucceed());
        Assert.Equal([uploadId], uploads.GetProperty("Uploads").EnumerateArray().Select(u => u.GetProperty("UploadId").GetString()));

        var completion = JsonSerializer.Serialize(new { Parts = new[] { new { ETag = etag1, PartNumber = 1 }, new { ETag = etag2, PartNumber = 2 } } });
        var completed = Json((await _client.AwsAsync("s3api", "complete-multipart-upload", "--bucket", bucket, "--key", "assembled.bin",
            "--upload-id", uploadId, "--multipart-upload", completion)).ShouldSucceed());
        byte[] whole = [.. part1, .. part2];
        Assert.Equal(S3Facts.MultipartETag(whole, 5 * MiB), completed.GetProperty("ETag").GetString());

        (await _client.AwsAsync("s3api", "get-object", "--bucket", bucket, "--key", "assembled.bin", _client.PathOf("whole.bin"))).ShouldSucceed();
        Assert.Equal(whole, await File.ReadAllBytesAsync(_client.PathOf("whole.bin")));

        var second = Json((await _client.AwsAsync("s3api", "create-multipart-upload", "--bucket", bucket, "--key", "abandoned")).ShouldSucceed());
        (await _client.AwsAsync("s3api", "abort-multipart-upload", "--bucket", bucket, "--key", "abandoned",
            "--upload-id", second.GetProperty("UploadId").GetString()!)).ShouldSucceed();
        var none = (await _client.AwsAsync("s3api", "list-multipart-uploads", "--bucket", bucket)).ShouldSucceed();
        Assert.False(Json(none).TryGetProperty("Uploads", out var left) && left.GetArrayLength() > 0, none.ToString());
        Assert.Equal(["assembled.bin"], await ListKeysAsync(bucket));
    }

    [ClientFact(ClientTools.Aws)]
    public async Task Reports_S3_error_codes_to_the_aws_cli()
    {
        var bucket = await MakeBucketAsync("errors");

        var noKey = (await _client.AwsAsync("s3api", "get-object", "--bucket", bucket, "--key", "missing", _client.PathOf("x"))).ShouldFail();
        Assert.Contains("(NoSuchKey)", noKey.StandardError, StringComparison.Ordinal);

        var noBucket = (await _client.AwsAsync("s3api", "list-objects-v2", "--bucket", ClientSession.NewBucketName("absent"))).ShouldFail();
        Assert.Contains("(NoSuchBucket)", noBucket.StandardError, StringComparison.Ordinal);

        var headMissing = (await _client.AwsAsync("s3api", "head-bucket", "--bucket", ClientSession.NewBucketName("absent"))).ShouldFail();
        Assert.Contains("404", headMissing.StandardError, StringComparison.Ordinal);

        _client.WriteFile("f.txt", "x"u8.ToArray());
        (await _client.AwsAsync("s3", "cp", _client.PathOf("f.txt"), $"s3://{bucket}/f.txt")).ShouldSucceed();
        var notEmpty = (await _client.AwsAsync("s3api", "delete-bucket", "--bucket", bucket)).ShouldFail();
        Assert.Contains("(BucketNotEmpty)", notEmpty.StandardError, StringComparison.Ordinal);

        var badName = (await _client.AwsAsync("s3api", "create-bucket", "--bucket", "Not_A_Valid_Name")).ShouldFail();
        Assert.Contains("InvalidBucketName", badName.StandardError, StringComparison.Ordinal);
    }

    [ClientFact(ClientTools.Aws)]
    public async Task Rejects_a_wrong_secret_key_with_SignatureDoesNotMatch()
    {
        _client.SetVariable("AWS_SECRET_ACCESS_KEY", "not-the-right-secret-key-0123456789abcdef");

        var denied = (await _client.AwsAsync("s3api", "list-buckets")).ShouldFail();

        Assert.Contains("(SignatureDoesNotMatch)", denied.StandardError, StringComparison.Ordinal);
    }

    private async Task<string> MakeBucketAsync(string purpose)
    {
        var bucket = ClientSession.NewBucketName(purpose);
        (await _client.AwsAsync("s3api", "create-bucket", "--bucket", bucket)).ShouldSucceed();
        return bucket;
    }

    private async Task<List<string>> ListKeysAsync(string bucket)
    {
        var listed = Json((await _client.AwsAsync("s3api", "list-objects-v2", "--bucket", bucket)).ShouldSucceed());
        return listed.TryGetProperty("Contents", out var contents)
            ? [.. contents.EnumerateArray().Select(o => o.GetProperty("Key").GetString()!)]
            : [];
    }

    private static JsonElement Json(CliResult result)
    {
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }
}
