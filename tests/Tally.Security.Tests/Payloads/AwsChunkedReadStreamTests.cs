using System.Text;
using Amazon.S3.Model;
using Tally.Core.Errors;
using Tally.Security.Payloads;
using Tally.Security.SigV4;
using Tally.Security.Tests.SigV4;

namespace Tally.Security.Tests.Payloads;

public sealed class AwsChunkedReadStreamTests(ExampleCredentials credentials) : IClassFixture<ExampleCredentials>
{
    private SigV4Authenticator Authenticator => new(credentials.Store);

    private async Task<(VerifyingStream Body, SigningRequest Request)> DocumentationExampleAsync(Func<byte[], byte[]>? tamper = null)
    {
        var (request, body) = DocumentationExampleTests.ChunkedUploadExample();
        var auth = await Authenticator.AuthenticateAsync(request, CancellationToken.None);
        return (VerifyingStream.FromHeaders(new MemoryStream(tamper?.Invoke(body) ?? body), request.Header, auth), request);
    }

    [Theory]
    [InlineData(7, false)]
    [InlineData(8192, false)]
    [InlineData(100_000, true)]
    public async Task Decodes_the_documentation_chunked_upload_and_verifies_each_chunk_signature(int pieceSize, bool synchronous)
    {
        var (body, _) = await DocumentationExampleAsync();

        var decoded = await BodyReading.ReadAllAsync(body, pieceSize, synchronous);

        Assert.Equal(66560, decoded.Length);
        Assert.All(decoded, b => Assert.Equal((byte)'a', b));
        Assert.True(body.IsComplete);
    }

    [Fact]
    public async Task Rejects_a_changed_data_byte_in_a_signed_chunk()
    {
        var (body, _) = await DocumentationExampleAsync(bytes =>
        {
            bytes[1000] = (byte)'b';
            return bytes;
        });

        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(body, 4096));

        Assert.Equal("SignatureDoesNotMatch", error.Error.Code);
    }

    [Fact]
    public async Task Rejects_a_tampered_chunk_signature()
    {
        var (body, _) = await DocumentationExampleAsync(bytes =>
        {
            var text = Encoding.ASCII.GetString(bytes).Replace("0055627c", "0055627d", StringComparison.Ordinal);
            return Encoding.ASCII.GetBytes(text);
        });

        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(body, 4096));

        Assert.Equal("SignatureDoesNotMatch", error.Error.Code);
    }

    [Fact]
    public async Task Rejects_chunks_swapped_out_of_order_even_with_their_own_signatures()
    {
        // A chunk signature chains from the previous one, so dropping the first chunk breaks the chain.
        var (request, body) = DocumentationExampleTests.ChunkedUploadExample();
        var auth = await Authenticator.AuthenticateAsync(request, CancellationToken.None);
        var secondChunkStart = Encoding.ASCII.GetString(body).IndexOf("400;chunk-signature", StringComparison.Ordinal);
        using var stream = new AwsChunkedReadStream(new MemoryStream(body[secondChunkStart..]), SigV4Constants.StreamingSignedPayload, 1024, auth.Chunked, null);

        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(stream, 4096));

        Assert.Equal("SignatureDoesNotMatch", error.Error.Code);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(65600)]
    [InlineData(66824 - 2)]
    public async Task Rejects_a_truncated_chunked_body_with_IncompleteBody(int keep)
    {
        var (body, _) = await DocumentationExampleAsync(bytes => bytes[..keep]);

        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(body, 4096));

        Assert.Equal("IncompleteBody", error.Error.Code);
    }

    [Fact]
    public async Task Rejects_a_body_shorter_than_the_decoded_content_length()
    {
        var (request, body) = DocumentationExampleTests.ChunkedUploadExample();
        var auth = await Authenticator.AuthenticateAsync(request, CancellationToken.None);
        using var stream = new AwsChunkedReadStream(new MemoryStream(body), SigV4Constants.StreamingSignedPayload, 70_000, auth.Chunked, null);

        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(stream, 4096));

        Assert.Equal("IncompleteBody", error.Error.Code);
    }

    [Fact]
    public async Task Rejects_a_body_longer_than_the_decoded_content_length()
    {
        var (request, body) = DocumentationExampleTests.ChunkedUploadExample();
        var auth = await Authenticator.AuthenticateAsync(request, CancellationToken.None);
        using var stream = new AwsChunkedReadStream(new MemoryStream(body), SigV4Constants.StreamingSignedPayload, 60_000, auth.Chunked, null);

        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(stream, 4096));

        Assert.Equal("InvalidRequest", error.Error.Code);
    }

    [Theory]
    [InlineData(new[] { 8192, 100 })]
    [InlineData(new[] { 100 })]
    [InlineData(new[] { 10_000, 9_000, 1 })]
    public async Task Accepts_signed_chunks_of_8_KiB_or_more_before_the_last(int[] sizes)
    {
        var (stream, total) = await SignedChunksAsync(sizes);

        Assert.Equal(total, (await BodyReading.ReadAllAsync(stream, 4096)).Length);
    }

    [Theory]
    [InlineData(new[] { 1000, 1000 })]
    [InlineData(new[] { 8192, 8191, 10 })]
    public async Task Rejects_a_signed_chunk_under_8_KiB_that_is_not_the_last(int[] sizes)
    {
        var (stream, _) = await SignedChunksAsync(sizes);

        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(stream, 4096));

        Assert.Equal("InvalidChunkSizeError", error.Error.Code);
    }

    /// <summary>A signed aws-chunked body of chunks of these sizes, each signed as SigV4 streaming does (chained from the seed signature).</summary>
    private async Task<(AwsChunkedReadStream Stream, int Total)> SignedChunksAsync(int[] sizes)
    {
        var (request, _) = DocumentationExampleTests.ChunkedUploadExample();
        var signing = (await Authenticator.AuthenticateAsync(request, CancellationToken.None)).Chunked!;
        var body = new MemoryStream();
        var previous = signing.SeedSignature;
        foreach (var size in sizes.Append(0))
        {
            var data = new byte[size];
            Array.Fill(data, (byte)'a');
            var stringToSign = string.Join('\n', "AWS4-HMAC-SHA256-PAYLOAD", signing.AmzDate, signing.Scope, previous, SigV4Constants.EmptySha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)));
            previous = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(signing.SigningKey, Encoding.UTF8.GetBytes(stringToSign)));
            body.Write(Encoding.ASCII.GetBytes($"{size:x};chunk-signature={previous}\r\n"));
            body.Write(data);
            body.Write("\r\n"u8);
        }

        body.Position = 0;
        return (new AwsChunkedReadStream(body, SigV4Constants.StreamingSignedPayload, sizes.Sum(), signing, null), sizes.Sum());
    }

    [Fact]
    public void Refuses_a_signed_streaming_body_without_a_signing_context()
    {
        var error = Assert.Throws<S3Exception>(() =>
            new AwsChunkedReadStream(new MemoryStream(), SigV4Constants.StreamingSignedPayload, 0, signing: null, declaredTrailers: null));

        Assert.Equal("InvalidRequest", error.Error.Code);
    }

    [Fact]
    public async Task Verifies_an_sdk_signed_streaming_body_with_a_signed_checksum_trailer()
    {
        var content = RandomBytes(200_000, seed: 1);
        using var sdk = new SdkCapture(ExampleCredentials.AccessKey, ExampleCredentials.SecretKey, "http://s3.example.test");
        await sdk.Client.PutObjectAsync(new PutObjectRequest { BucketName = "bucket", Key = "k", InputStream = new MemoryStream(content) });
        var captured = sdk.Requests[0];
        Assert.Equal("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", captured.Header("x-amz-content-sha256"));

        var auth = await Authenticator.AuthenticateAsync(captured.ToSigningRequest(), CancellationToken.None);
        using var body = VerifyingStream.FromHeaders(new MemoryStream(captured.Body), captured.Header, auth);
        var decoded = await BodyReading.ReadAllAsync(body, 1000);

        Assert.Equal(content, decoded);
        Assert.Equal(Convert.ToBase64String(System.IO.Hashing.Crc32.Hash(content).Reverse().ToArray()), body.Checksums["CRC32"]);
        Assert.Equal("x-amz-checksum-crc32", captured.Header("x-amz-trailer"));
    }

    [Fact]
    public async Task Rejects_a_changed_trailer_on_a_signed_trailer_body()
    {
        using var sdk = new SdkCapture(ExampleCredentials.AccessKey, ExampleCredentials.SecretKey, "http://s3.example.test");
        await sdk.Client.PutObjectAsync(new PutObjectRequest { BucketName = "bucket", Key = "k", ContentBody = "hello world" });
        var captured = sdk.Requests[0];
        var auth = await Authenticator.AuthenticateAsync(captured.ToSigningRequest(), CancellationToken.None);
        var tampered = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(captured.Body)
            .Replace("x-amz-checksum-crc32:DUoRhQ==", "x-amz-checksum-crc32:AAAAAA==", StringComparison.Ordinal));
        Assert.NotEqual(captured.Body, tampered);

        using var body = VerifyingStream.FromHeaders(new MemoryStream(tampered), captured.Header, auth);
        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(body));

        Assert.Equal("SignatureDoesNotMatch", error.Error.Code);
    }

    [Fact]
    public async Task Decodes_a_signed_streaming_body_without_trailer()
    {
        var content = RandomBytes(70_000, seed: 2);
        using var sdk = new SdkCapture(ExampleCredentials.AccessKey, ExampleCredentials.SecretKey, "http://s3.example.test",
            c => c.RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED);
        await sdk.Client.PutObjectAsync(new PutObjectRequest { BucketName = "bucket", Key = "k", InputStream = new MemoryStream(content) });
        var captured = sdk.Requests[0];
        Assert.Equal("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", captured.Header("x-amz-content-sha256"));

        var auth = await Authenticator.AuthenticateAsync(captured.ToSigningRequest(), CancellationToken.None);
        using var body = VerifyingStream.FromHeaders(new MemoryStream(captured.Body), captured.Header, auth);

        Assert.Equal(content, await BodyReading.ReadAllAsync(body, 5000, synchronous: true));
        Assert.Empty(body.Checksums);
    }

    [Theory]
    [InlineData("CRC32")]
    [InlineData("CRC32C")]
    [InlineData("CRC64NVME")]
    [InlineData("SHA1")]
    [InlineData("SHA256")]
    public async Task Verifies_each_checksum_algorithm_sent_as_an_unsigned_trailer(string algorithm)
    {
        var content = RandomBytes(150_001, seed: algorithm.Length);
        using var sdk = new SdkCapture(ExampleCredentials.AccessKey, ExampleCredentials.SecretKey);
        await sdk.Client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "bucket",
            Key = "k",
            InputStream = new MemoryStream(content),
            DisablePayloadSigning = true,
            ChecksumAlgorithm = new Amazon.S3.ChecksumAlgorithm(algorithm),
        });
        var captured = sdk.Requests[0];
        Assert.Equal("STREAMING-UNSIGNED-PAYLOAD-TRAILER", captured.Header("x-amz-content-sha256"));
        var trailerName = "x-amz-checksum-" + algorithm.ToLowerInvariant();
        Assert.Equal(trailerName, captured.Header("x-amz-trailer"));
        var sent = TrailerValue(captured.Body, trailerName);

        var auth = await Authenticator.AuthenticateAsync(captured.ToSigningRequest(), CancellationToken.None);
        using (var body = VerifyingStream.FromHeaders(new MemoryStream(captured.Body), captured.Header, auth))
        {
            Assert.Equal(content, await BodyReading.ReadAllAsync(body, 4099));
            Assert.Equal(sent, body.Checksums[algorithm]);
            Assert.Single(body.Checksums);
        }

        // Flip one bit of the object: the trailer no longer matches.
        var corrupted = (byte[])captured.Body.Clone();
        var dataStart = Array.IndexOf(corrupted, (byte)'\n') + 1;
        corrupted[dataStart + 10] ^= 1;
        using var bad = VerifyingStream.FromHeaders(new MemoryStream(corrupted), captured.Header, auth);
        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(bad, 4099));
        Assert.Equal("BadDigest", error.Error.Code);
        Assert.Contains(algorithm, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_trailer_that_was_not_declared()
    {
        var body = Encoding.ASCII.GetBytes("5\r\nhello\r\n0\r\nx-amz-checksum-sha1:qvTGHdzF6KLavt4PO0gs2a6pQ00=\r\n\r\n");
        using var stream = new AwsChunkedReadStream(new MemoryStream(body), SigV4Constants.StreamingUnsignedPayloadTrailer, 5, null, "x-amz-checksum-crc32");

        var error = await Assert.ThrowsAsync<S3Exception>(() => BodyReading.ReadAllAsync(stream));

        Assert.Equal("MalformedTrailerError", error.Error.Code);
    }

    [Fact]
    public async Task Exposes_unsigned_trailers_once_the_body_has_ended()
    {
        var body = Encoding.ASCII.GetBytes("5\r\nhello\r\n0\r\nx-amz-checksum-sha1:qvTGHdzF6KLavt4PO0gs2a6pQ00=\r\n\r\n");
        using var stream = new AwsChunkedReadStream(new MemoryStream(body), SigV4Constants.StreamingUnsignedPayloadTrailer, 5, null, "x-amz-checksum-sha1");

        Assert.Empty(stream.Trailers);
        Assert.Equal("hello"u8.ToArray(), await BodyReading.ReadAllAsync(stream, 2));

        Assert.True(stream.IsComplete);
        Assert.Equal("qvTGHdzF6KLavt4PO0gs2a6pQ00=", stream.Trailers["x-amz-checksum-sha1"]);
    }

    private static string TrailerValue(byte[] body, string name)
    {
        var text = Encoding.ASCII.GetString(body);
        var start = text.LastIndexOf(name + ":", StringComparison.Ordinal) + name.Length + 1;
        return text[start..text.IndexOf('\r', start)];
    }

    internal static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
