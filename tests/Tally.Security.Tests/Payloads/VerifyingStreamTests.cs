using System.Security.Cryptography;
using Amazon.S3.Model;
using Tally.Core.Errors;
using Tally.Security.Payloads;

namespace Tally.Security.Tests.Payloads;

public sealed class VerifyingStreamTests
{
    private static async Task<CapturedRequest> SdkPutAsync(byte[] content, string serviceUrl = "https://s3.example.test", Action<PutObjectRequest>? configure = null)
    {
        using var sdk = new SdkCapture(ExampleCredentials.AccessKey, ExampleCredentials.SecretKey, serviceUrl);
        var request = new PutObjectRequest { BucketName = "bucket", Key = "key", InputStream = new MemoryStream(content), UseChunkEncoding = false };
        configure?.Invoke(request);
        await sdk.Client.PutObjectAsync(request);
        return sdk.Requests[0];
    }

    private static Func<string, string?> Without(CapturedRequest request, string omitted) =>
        name => string.Equals(name, omitted, StringComparison.OrdinalIgnoreCase) ? null : request.Header(name);

    private static Func<string, string?> With(CapturedRequest request, string name, string value) =>
        header => string.Equals(header, name, StringComparison.OrdinalIgnoreCase) ? value : request.Header(header);

    [Theory]
    [InlineData("CRC32")]
    [InlineData("CRC32C")]
    [InlineData("CRC64NVME")]
    [InlineData("SHA1")]
    [InlineData("SHA256")]
    public async Task Verifies_each_checksum_algorithm_sent_as_a_header_and_reports_it(string algorithm)
    {
        var content = AwsChunkedReadStreamTests.RandomBytes(33_333, seed: 7);
        var captured = await SdkPutAsync(content, configure: r => r.ChecksumAlgorithm = new Amazon.S3.ChecksumAlgorithm(algorithm));
        var headerName = "x-amz-checksum-" + algorithm.ToLowerInvariant();
        var sent = captured.Header(headerName);
        Assert.NotNull(sent);
        var headers = Without(captured, "x-amz-content-sha256");

        using (var body = VerifyingStream.FromHeaders(new MemoryStream(captured.Body), headers))
        {
            Assert.Equal(content, await BodyReading.ReadAllAsync(body, 1024));
            Assert.Equal(sent, body.Checksums[algorithm]);
            Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), body.Md5Hex);
        }

        var corrupted = (byte[])captured.Body.Clone();
        corrupted[^1] ^= 0x80;
        using var bad = VerifyingStream.FromHeaders(new MemoryStream(corrupted), headers);
        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(bad, 1024));
        Assert.Equal("BadDigest", error.Error.Code);
        Assert.Equal(400, error.Error.HttpStatus);
        Assert.Equal($"The {algorithm} you specified did not match the calculated checksum.", error.Message);
    }

    [Fact]
    public async Task Checks_content_md5()
    {
        var content = "Welcome to Amazon S3."u8.ToArray();
        var captured = await SdkPutAsync(content, configure: r => r.MD5Digest = Convert.ToBase64String(MD5.HashData(content)));
        Assert.NotNull(captured.Header("content-md5"));

        using (var good = VerifyingStream.FromHeaders(new MemoryStream(captured.Body), captured.Header))
        {
            Assert.Equal(content, await BodyReading.ReadAllAsync(good));
        }

        var wrong = With(captured, "content-md5", Convert.ToBase64String(MD5.HashData("something else"u8)));
        using var bad = VerifyingStream.FromHeaders(new MemoryStream(captured.Body), wrong);
        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(bad));
        Assert.Equal("BadDigest", error.Error.Code);
        Assert.Equal(Convert.ToBase64String(MD5.HashData(content)), error.Details["CalculatedDigest"]);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA")]
    public void Rejects_a_content_md5_that_is_not_a_base64_md5(string value)
    {
        var error = Assert.Throws<S3Exception>(() =>
            VerifyingStream.FromHeaders(new MemoryStream(), DocumentationHeaders(("Content-MD5", value), ("Content-Length", "0"))));

        Assert.Equal("InvalidDigest", error.Error.Code);
    }

    [Fact]
    public async Task Checks_a_hex_x_amz_content_sha256_against_the_body()
    {
        var content = AwsChunkedReadStreamTests.RandomBytes(10_000, seed: 3);
        var captured = await SdkPutAsync(content, serviceUrl: "http://s3.example.test");
        var declared = captured.Header("x-amz-content-sha256")!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), declared);

        using (var good = VerifyingStream.FromHeaders(new MemoryStream(captured.Body), captured.Header))
        {
            Assert.Equal(content, await BodyReading.ReadAllAsync(good, 999));
        }

        var corrupted = (byte[])captured.Body.Clone();
        corrupted[5000] ^= 1;
        using var bad = VerifyingStream.FromHeaders(new MemoryStream(corrupted), captured.Header);
        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(bad, 999));
        Assert.Equal("XAmzContentSHA256Mismatch", error.Error.Code);
        Assert.Equal(declared, error.Details["ClientComputedContentSHA256"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(corrupted)), error.Details["S3ComputedContentSHA256"]);
    }

    [Fact]
    public async Task Rejects_a_body_shorter_than_its_content_length()
    {
        using var body = VerifyingStream.FromHeaders(new MemoryStream(new byte[50]), DocumentationHeaders(("Content-Length", "100")));

        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(body));

        Assert.Equal("IncompleteBody", error.Error.Code);
        Assert.False(body.IsComplete);
    }

    [Fact]
    public void Rejects_more_than_one_checksum_header_an_invalid_value_and_an_unknown_algorithm()
    {
        var two = Assert.Throws<S3Exception>(() => VerifyingStream.FromHeaders(
            new MemoryStream(), DocumentationHeaders(("x-amz-checksum-crc32", "AAAAAA=="), ("x-amz-checksum-sha1", "qvTGHdzF6KLavt4PO0gs2a6pQ00="))));
        var invalid = Assert.Throws<S3Exception>(() => VerifyingStream.FromHeaders(
            new MemoryStream(), DocumentationHeaders(("x-amz-checksum-crc32", "AAAAAAAA"))));
        var unknown = Assert.Throws<S3Exception>(() => VerifyingStream.FromHeaders(
            new MemoryStream(), DocumentationHeaders(("x-amz-sdk-checksum-algorithm", "MD4"))));

        Assert.Equal("InvalidRequest", two.Error.Code);
        Assert.Equal("InvalidRequest", invalid.Error.Code);
        Assert.Equal("Value for x-amz-checksum-crc32 header is invalid.", invalid.Message);
        Assert.Equal("InvalidRequest", unknown.Error.Code);
    }

    [Fact]
    public async Task Reports_checksums_only_after_the_end_of_the_body()
    {
        using var body = VerifyingStream.FromHeaders(
            new MemoryStream("hello"u8.ToArray()), DocumentationHeaders(("Content-Length", "5"), ("x-amz-sdk-checksum-algorithm", "crc32c")));

        Assert.Throws<InvalidOperationException>(() => body.Checksums);
        await BodyReading.ReadAllAsync(body);

        Assert.True(body.IsComplete);
        Assert.Equal(5, body.BytesRead);
        Assert.Equal(["CRC32C"], body.Checksums.Keys);
    }

    private static Func<string, string?> DocumentationHeaders(params (string Name, string Value)[] headers) =>
        SigV4.DocumentationExampleTests.Headers(headers);
}
