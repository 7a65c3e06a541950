using System.Globalization;
using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Tally.AccessLogs.Records;

namespace Tally.Server.Tests.Logging;

/// <summary>
/// Every request to a logged bucket becomes one delivered record with each field as spec §1.2
/// says; checked on the delivered log object, field by field.
/// </summary>
public sealed class AccessLogCaptureTests : IAsyncLifetime
{
    private const string Source = "logged";
    private const string Target = "logs";
    private const string Prefix = "logged/";
    private TallyServer _server = null!;
    private AmazonS3Client _s3 = null!;
    private string _owner = null!;

    public async Task InitializeAsync()
    {
        _server = await TallyServer.StartAsync();
        _s3 = _server.Client();
        await _s3.PutBucketAsync(Source);
        await _s3.PutBucketAsync(Target);
        await LogHarness.EnableAsync(_s3, Source, Target, Prefix);
        _owner = LogHarness.RootCanonicalId(_server);
    }

    public async Task DisposeAsync()
    {
        _s3.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Put_object_is_logged_with_every_field_as_AWS_writes_it()
    {
        var before = DateTimeOffset.UtcNow;
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Source, Key = "dir/a=b c.txt", ContentBody = "hello world" });
        var after = DateTimeOffset.UtcNow;

        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, Prefix);
        var line = LogHarness.Single(lines, put.ResponseMetadata.RequestId, "REST.PUT.OBJECT");
        Assert.Equal(27, line.FieldCount);
        Assert.Equal(_owner, line.F(AccessLogField.BucketOwner));
        Assert.Equal(Source, line.F(AccessLogField.Bucket));
        Assert.InRange(line.Record.Time, before.AddSeconds(-1), after);
        Assert.Equal("127.0.0.1", line.F(AccessLogField.RemoteIp));
        Assert.Equal(_owner, line.F(AccessLogField.Requester));
        Assert.Matches("^[0-9A-F]{16}$", line.F(AccessLogField.RequestId));

        // spec §1.4: the key is URL-encoded twice for REST operations; '/' stays.
        Assert.Equal("dir/a%253Db%2520c.txt", line.F(AccessLogField.Key));
        Assert.Equal("\"PUT /logged/dir/a%3Db%20c.txt HTTP/1.1\"", line.F(AccessLogField.RequestUri));
        Assert.Equal("200", line.F(AccessLogField.HttpStatus));
        Assert.Equal("-", line.F(AccessLogField.ErrorCode));

        // spec §1.6: a successful PUT sends no body, so Bytes Sent is "-", not 0.
        Assert.Equal("-", line.F(AccessLogField.BytesSent));
        Assert.Equal("11", line.F(AccessLogField.ObjectSize));
        Assert.Matches("^[0-9]+$", line.F(AccessLogField.TotalTime));
        Assert.Matches("^[0-9]+$", line.F(AccessLogField.TurnAroundTime));
        Assert.True(long.Parse(line.F(AccessLogField.TurnAroundTime), CultureInfo.InvariantCulture) <= long.Parse(line.F(AccessLogField.TotalTime), CultureInfo.InvariantCulture));
        Assert.Equal("\"-\"", line.F(AccessLogField.Referer));
        Assert.StartsWith("\"aws-sdk-dotnet", line.F(AccessLogField.UserAgent), StringComparison.Ordinal);
        Assert.Equal("-", line.F(AccessLogField.VersionId));
        Assert.Matches("^[A-Za-z0-9+/]{76}$", line.F(AccessLogField.HostId));
        Assert.Equal("SigV4", line.F(AccessLogField.SignatureVersion));
        Assert.Equal("-", line.F(AccessLogField.CipherSuite));
        Assert.Equal("AuthHeader", line.F(AccessLogField.AuthenticationType));
        Assert.Equal($"127.0.0.1:{_server.Endpoint.Port}", line.F(AccessLogField.HostHeader));
        Assert.Equal("-", line.F(AccessLogField.TlsVersion));
        Assert.Equal("-", line.F(AccessLogField.AccessPointArn));
        Assert.Equal("-", line.F(AccessLogField.AclRequired));
        Assert.Equal("-", line.F(AccessLogField.SourceRegion));
    }

    [Fact]
    public async Task Request_and_host_ids_are_the_response_headers()
    {
        using var http = _server.Http();
        using var response = await http.GetAsync($"/{Source}/nothing-here");
        var requestId = response.Headers.GetValues("x-amz-request-id").Single();
        var hostId = response.Headers.GetValues("x-amz-id-2").Single();

        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, Prefix);
        var line = LogHarness.Single(lines, requestId, "REST.GET.OBJECT");
        Assert.Equal(hostId, line.F(AccessLogField.HostId));
    }

    [Fact]
    public async Task Anonymous_request_is_logged_denied_with_dashes_for_the_caller_and_the_quoted_headers()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Source, Key = "private.txt", ContentBody = "secret" });
        using var http = _server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{Source}/private.txt?x-trace=abc");
        request.Headers.Referrer = new Uri("http://example.com/page");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, Prefix);
        var line = LogHarness.Single(lines, response.Headers.GetValues("x-amz-request-id").Single(), "REST.GET.OBJECT");
        Assert.Equal("-", line.F(AccessLogField.Requester));
        Assert.Equal("403", line.F(AccessLogField.HttpStatus));
        Assert.Equal("AccessDenied", line.F(AccessLogField.ErrorCode));
        Assert.Equal(body.Length.ToString(CultureInfo.InvariantCulture), line.F(AccessLogField.BytesSent));

        // spec §1.5: custom x- query parameters stay in the Request-URI.
        Assert.Equal("\"GET /logged/private.txt?x-trace=abc HTTP/1.1\"", line.F(AccessLogField.RequestUri));
        Assert.Equal("\"http://example.com/page\"", line.F(AccessLogField.Referer));
        Assert.Equal("\"-\"", line.F(AccessLogField.UserAgent));
        Assert.Equal("-", line.F(AccessLogField.SignatureVersion));
        Assert.Equal("-", line.F(AccessLogField.AuthenticationType));
        Assert.Equal(_owner, line.F(AccessLogField.BucketOwner));
    }

    [Fact]
    public async Task A_bad_signature_is_logged_with_the_access_keys_owner_and_the_scheme_presented()
    {
        // spec §8: a SignatureDoesNotMatch is logged with the requester the access key names.
        using var forger = _server.Client(TallyServer.RootAccessKey, "not/the/right/secret/000000000000000000");
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => forger.GetObjectAsync(Source, "anything"));
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);

        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, Prefix);
        var line = LogHarness.Single(lines, error.RequestId, "REST.GET.OBJECT");
        Assert.Equal(_owner, line.F(AccessLogField.Requester));
        Assert.Equal("403", line.F(AccessLogField.HttpStatus));
        Assert.Equal("SignatureDoesNotMatch", line.F(AccessLogField.ErrorCode));
        Assert.Equal("SigV4", line.F(AccessLogField.SignatureVersion));
        Assert.Equal("AuthHeader", line.F(AccessLogField.AuthenticationType));
    }

    [Fact]
    public async Task Request_by_another_account_is_logged_as_AccessDenied_with_its_arn()
    {
        var stranger = await LogHarness.CreateUserAsync(_server, "stranger", newAccount: true);
        using var other = _server.Client(stranger.AccessKeyId, stranger.SecretAccessKey);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => other.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Source }));
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);

        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, Prefix);
        var line = LogHarness.Single(lines, error.RequestId, "REST.GET.BUCKET");
        Assert.Equal(stranger.Identity.Requester, line.F(AccessLogField.Requester));
        Assert.NotEqual(_owner, line.F(AccessLogField.Requester));
        Assert.Equal("AccessDenied", line.F(AccessLogField.ErrorCode));
        Assert.Equal("SigV4", line.F(AccessLogField.SignatureVersion));
        Assert.Equal("AuthHeader", line.F(AccessLogField.AuthenticationType));
        Assert.Equal("-", line.F(AccessLogField.Key));
    }

    [Fact]
    public async Task Presigned_get_is_logged_with_QueryString_and_the_presigned_query_verbatim()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Source, Key = "shared.txt", ContentBody = "0123456789" });
        var url = await _s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Source,
            Key = "shared.txt",
            Expires = DateTime.UtcNow.AddMinutes(5),
            Verb = HttpVerb.GET,
            Protocol = Protocol.HTTP,
        });
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0123456789", await response.Content.ReadAsStringAsync());

        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, Prefix);
        var line = LogHarness.Single(lines, response.Headers.GetValues("x-amz-request-id").Single(), "REST.GET.OBJECT");
        var target = new Uri(url).PathAndQuery;
        Assert.Equal($"\"GET {target} HTTP/1.1\"", line.F(AccessLogField.RequestUri));
        Assert.Contains("X-Amz-Signature=", line.F(AccessLogField.RequestUri), StringComparison.Ordinal);
        Assert.Equal("SigV4", line.F(AccessLogField.SignatureVersion));
        Assert.Equal("QueryString", line.F(AccessLogField.AuthenticationType));
        Assert.Equal(_owner, line.F(AccessLogField.Requester));
        Assert.Equal("10", line.F(AccessLogField.BytesSent));
        Assert.Equal("10", line.F(AccessLogField.ObjectSize));
    }

    [Fact]
    public async Task Ranged_get_logs_206_with_the_bytes_sent_and_the_full_object_size()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Source, Key = "big.bin", InputStream = new MemoryStream(new byte[10_000]) });
        using var get = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = Source, Key = "big.bin", ByteRange = new ByteRange(100, 1099) });
        using (var sink = new MemoryStream())
        {
            await get.ResponseStream.CopyToAsync(sink);
            Assert.Equal(1000, sink.Length);
        }

        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, Prefix);
        var line = LogHarness.Single(lines, get.ResponseMetadata.RequestId, "REST.GET.OBJECT");
        Assert.Equal("206", line.F(AccessLogField.HttpStatus));
        Assert.Equal("1000", line.F(AccessLogField.BytesSent));
        Assert.Equal("10000", line.F(AccessLogField.ObjectSize));
    }

    [Fact]
    public async Task Not_found_counts_the_error_body_in_bytes_sent_and_head_sends_none()
    {
        var signed = await SignedGetAsync("absent");
        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, Prefix);
        var line = LogHarness.Single(lines, signed.RequestId, "REST.GET.OBJECT");
        Assert.Equal("404", line.F(AccessLogField.HttpStatus));
        Assert.Equal("NoSuchKey", line.F(AccessLogField.ErrorCode));
        Assert.Equal(signed.BodyLength.ToString(CultureInfo.InvariantCulture), line.F(AccessLogField.BytesSent));
        Assert.Equal("-", line.F(AccessLogField.ObjectSize));

        var head = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.GetObjectMetadataAsync(Source, "absent"));
        lines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, Prefix);
        var headLine = LogHarness.Single(lines, head.RequestId, "REST.HEAD.OBJECT");
        Assert.Equal("404", headLine.F(AccessLogField.HttpStatus));
        Assert.Equal("NoSuchKey", headLine.F(AccessLogField.ErrorCode));
        Assert.Equal("-", headLine.F(AccessLogField.BytesSent));
    }

    [Fact]
    public async Task Precondition_and_range_failures_are_logged_with_412_and_416()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Source, Key = "c.txt", ContentBody = "abc" });
        var precondition = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = Source, Key = "c.txt", EtagToMatch = "\"nope\"" }));
        var range = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = Source, Key = "c.txt", ByteRange = new ByteRange(50, 60) }));

        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, Prefix);
        var p = LogHarness.Single(lines, precondition.RequestId, "REST.GET.OBJECT");
        Assert.Equal("412", p.F(AccessLogField.HttpStatus));
        Assert.Equal("PreconditionFailed", p.F(AccessLogField.ErrorCode));
        var r = LogHarness.Single(lines, range.RequestId, "REST.GET.OBJECT");
        Assert.Equal("416", r.F(AccessLogField.HttpStatus));
        Assert.Equal("InvalidRange", r.F(AccessLogField.ErrorCode));
    }

    [Fact]
    public async Task Copy_writes_REST_COPY_OBJECT_in_the_destination_log_and_REST_COPY_OBJECT_GET_in_the_source_log()
    {
        await _s3.PutBucketAsync("copies");
        await LogHarness.EnableAsync(_s3, "copies", Target, "copies/");
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Source, Key = "orig inal.txt", ContentBody = "12345" });
        var copy = await _s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Source, SourceKey = "orig inal.txt", DestinationBucket = "copies", DestinationKey = "copy.txt" });

        var sourceLines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, Prefix);
        var get = LogHarness.Single(sourceLines, copy.ResponseMetadata.RequestId, "REST.COPY.OBJECT_GET");
        Assert.Equal(Source, get.F(AccessLogField.Bucket));
        Assert.Equal("orig%2520inal.txt", get.F(AccessLogField.Key));
        Assert.Equal("5", get.F(AccessLogField.ObjectSize));

        // spec §1.7, §9.6: no request line of its own, so bare dashes (not "-") from Request-URI to Version Id.
        var tail = get.Line[(get.Line.IndexOf(" REST.COPY.OBJECT_GET ", StringComparison.Ordinal) + 1)..];
        Assert.StartsWith("REST.COPY.OBJECT_GET orig%2520inal.txt - - - - 5 - - - - - ", tail, StringComparison.Ordinal);
        Assert.Equal("SigV4", get.F(AccessLogField.SignatureVersion));
        Assert.Equal($"127.0.0.1:{_server.Endpoint.Port}", get.F(AccessLogField.HostHeader));

        var destinationLines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, "copies/");
        var put = LogHarness.Single(destinationLines, copy.ResponseMetadata.RequestId, "REST.COPY.OBJECT");
        Assert.Equal("copies", put.F(AccessLogField.Bucket));
        Assert.Equal("copy.txt", put.F(AccessLogField.Key));
        Assert.Equal("200", put.F(AccessLogField.HttpStatus));
        Assert.Equal("5", put.F(AccessLogField.ObjectSize));
        Assert.DoesNotContain(destinationLines, l => l.Record.Operation == "REST.COPY.OBJECT_GET");
    }

    [Fact]
    public async Task Multi_delete_writes_one_MULTI_OBJECT_DELETE_and_one_BATCH_DELETE_OBJECT_per_key()
    {
        foreach (var key in new[] { "d/1", "d/2=x", "d/3" })
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Source, Key = key, ContentBody = key });
        }

        var delete = await _s3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = Source,
            Objects = [new KeyVersion { Key = "d/1" }, new KeyVersion { Key = "d/2=x" }, new KeyVersion { Key = "d/3" }],
        });

        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, Prefix);
        var multi = LogHarness.Single(lines, delete.ResponseMetadata.RequestId, "REST.POST.MULTI_OBJECT_DELETE");
        Assert.Equal("-", multi.F(AccessLogField.Key));
        Assert.Equal("200", multi.F(AccessLogField.HttpStatus));
        Assert.Equal("\"POST /logged/?delete HTTP/1.1\"", multi.F(AccessLogField.RequestUri));

        var batch = lines.Where(l => l.Record.RequestId == delete.ResponseMetadata.RequestId && l.Record.Operation == "BATCH.DELETE.OBJECT").ToList();
        Assert.Equal(3, batch.Count);

        // spec §1.4, §9.4: single-encoded key for BATCH records.
        Assert.Equal(["d/1", "d/2%3Dx", "d/3"], batch.Select(l => l.F(AccessLogField.Key)).Order(StringComparer.Ordinal));
        foreach (var line in batch)
        {
            Assert.Equal("-", line.F(AccessLogField.RequestUri));
            Assert.Equal("204", line.F(AccessLogField.HttpStatus));
            Assert.Equal("-", line.F(AccessLogField.Referer));
            Assert.Equal("-", line.F(AccessLogField.UserAgent));
            Assert.Equal("-", line.F(AccessLogField.TotalTime));
        }

        Assert.Equal("5", batch.Single(l => l.Record.Key == "d/2=x").F(AccessLogField.ObjectSize));
    }

    [Fact]
    public async Task Requests_to_a_bucket_without_logging_are_not_logged_anywhere()
    {
        await _s3.PutBucketAsync("quiet");
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "quiet", Key = "k", ContentBody = "v" });
        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, Target, string.Empty);
        Assert.DoesNotContain(lines, l => l.Record.RequestId == put.ResponseMetadata.RequestId);
        Assert.NotEmpty(lines);
    }

    private async Task<(string RequestId, int BodyLength)> SignedGetAsync(string key)
    {
        var url = await _s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = Source, Key = key, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<Code>NoSuchKey</Code>", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        return (response.Headers.GetValues("x-amz-request-id").Single(), body.Length);
    }
}
