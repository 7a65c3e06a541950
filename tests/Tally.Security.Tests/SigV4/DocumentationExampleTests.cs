using System.Globalization;
using Tally.Core.Errors;
using Tally.Security.SigV4;

namespace Tally.Security.Tests.SigV4;

/// <summary>The worked examples of "Signature Calculations for the Authorization Header" / "Query String" for S3.</summary>
public sealed class DocumentationExampleTests(ExampleCredentials credentials) : IClassFixture<ExampleCredentials>
{
    private static readonly DateTimeOffset ExampleTime = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);
    private static readonly string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly string Credential = "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";

    private SigV4Authenticator Authenticator => new(credentials.Store, new SigV4Options { Region = "us-east-1" });

    internal static Func<string, string?> Headers(params (string Name, string Value)[] headers)
    {
        var map = headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        return name => map.GetValueOrDefault(name);
    }

    private static SigningRequest GetObjectExample(string signature = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", DateTimeOffset? now = null) =>
        new(
            "GET",
            "/test.txt",
            string.Empty,
            Headers(
                ("Host", "examplebucket.s3.amazonaws.com"),
                ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", EmptyHash),
                ("x-amz-date", "20130524T000000Z"),
                ("Authorization", $"AWS4-HMAC-SHA256 {Credential},SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature={signature}")),
            now ?? ExampleTime);

    [Fact]
    public async Task Verifies_the_get_object_example()
    {
        var result = await Authenticator.AuthenticateAsync(GetObjectExample(), CancellationToken.None);

        Assert.Equal(credentials.Store.Root.Root.Identity, result.Identity);
        Assert.Equal("SigV4", result.SignatureVersion);
        Assert.Equal("AuthHeader", result.AuthType);
        Assert.Equal(ExampleCredentials.AccessKey, result.AccessKeyId);
        Assert.Equal(EmptyHash, result.PayloadHash);
        Assert.Null(result.Chunked);
    }

    [Fact]
    public async Task Rejects_the_get_object_example_with_one_signature_digit_changed()
    {
        var error = await Assert.ThrowsAsync<S3Exception>(() =>
            Authenticator.AuthenticateAsync(GetObjectExample("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb42"), CancellationToken.None).AsTask());

        Assert.Equal("SignatureDoesNotMatch", error.Error.Code);
        Assert.Equal(403, error.Error.HttpStatus);
        Assert.Equal(ExampleCredentials.AccessKey, error.Details["AWSAccessKeyId"]);
        Assert.StartsWith("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n", error.Details["StringToSign"], StringComparison.Ordinal);
        Assert.Equal(
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:" + EmptyHash
            + "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n" + EmptyHash,
            error.Details["CanonicalRequest"]);
    }

    [Fact]
    public async Task Rejects_the_example_when_a_signed_header_was_changed()
    {
        var original = GetObjectExample();
        var tampered = original with { Header = name => name.Equals("range", StringComparison.OrdinalIgnoreCase) ? "bytes=0-99" : original.Header(name) };

        var error = await Assert.ThrowsAsync<S3Exception>(() => Authenticator.AuthenticateAsync(tampered, CancellationToken.None).AsTask());

        Assert.Equal("SignatureDoesNotMatch", error.Error.Code);
    }

    [Fact]
    public async Task Verifies_the_put_object_example_with_a_date_header_and_an_encoded_path()
    {
        var request = new SigningRequest(
            "PUT",
            "/test%24file.text",
            string.Empty,
            Headers(
                ("Host", "examplebucket.s3.amazonaws.com"),
                ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                ("x-amz-date", "20130524T000000Z"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                ("x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"),
                ("Authorization", $"AWS4-HMAC-SHA256 {Credential},SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")),
            ExampleTime);

        var result = await Authenticator.AuthenticateAsync(request, CancellationToken.None);

        Assert.Equal("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", result.PayloadHash);
    }

    [Theory]
    [InlineData("lifecycle", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")]
    [InlineData("max-keys=2&prefix=J", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")]
    [InlineData("prefix=J&max-keys=2", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")]
    public async Task Verifies_the_bucket_examples_with_query_parameters_in_any_order(string query, string signature)
    {
        var request = new SigningRequest(
            "GET",
            "/",
            query,
            Headers(
                ("Host", "examplebucket.s3.amazonaws.com"),
                ("x-amz-date", "20130524T000000Z"),
                ("x-amz-content-sha256", EmptyHash),
                ("Authorization", $"AWS4-HMAC-SHA256 {Credential}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}")),
            ExampleTime);

        var result = await Authenticator.AuthenticateAsync(request, CancellationToken.None);

        Assert.NotNull(result.Identity);
    }

    private static readonly string PresignedQuery =
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
        + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

    [Fact]
    public async Task Verifies_the_presigned_url_example()
    {
        var request = new SigningRequest("GET", "/test.txt", PresignedQuery, Headers(("Host", "examplebucket.s3.amazonaws.com")), ExampleTime.AddHours(23));

        var result = await Authenticator.AuthenticateAsync(request, CancellationToken.None);

        Assert.Equal("QueryString", result.AuthType);
        Assert.Equal("SigV4", result.SignatureVersion);
        Assert.Equal("UNSIGNED-PAYLOAD", result.PayloadHash);
        Assert.Equal(ExampleTime.AddDays(1), result.Expires);
    }

    [Fact]
    public async Task Rejects_the_presigned_url_example_once_it_has_expired()
    {
        var request = new SigningRequest("GET", "/test.txt", PresignedQuery, Headers(("Host", "examplebucket.s3.amazonaws.com")), ExampleTime.AddDays(1).AddSeconds(1));

        var error = await Assert.ThrowsAsync<S3Exception>(() => Authenticator.AuthenticateAsync(request, CancellationToken.None).AsTask());

        Assert.Equal("AccessDenied", error.Error.Code);
        Assert.Equal("Request has expired", error.Message);
        Assert.Equal("86400", error.Details["X-Amz-Expires"]);
        Assert.Equal("2013-05-25T00:00:00Z", error.Details["Expires"]);
    }

    [Fact]
    public async Task Rejects_the_get_object_example_when_the_clock_is_skewed_more_than_15_minutes()
    {
        var error = await Assert.ThrowsAsync<S3Exception>(() =>
            Authenticator.AuthenticateAsync(GetObjectExample(now: ExampleTime.AddMinutes(15).AddSeconds(1)), CancellationToken.None).AsTask());

        Assert.Equal("RequestTimeTooSkewed", error.Error.Code);
        Assert.Equal(403, error.Error.HttpStatus);
        Assert.Equal("900000", error.Details["MaxAllowedSkewMilliseconds"]);

        var withinSkew = await Authenticator.AuthenticateAsync(GetObjectExample(now: ExampleTime.AddMinutes(-14)), CancellationToken.None);
        Assert.NotNull(withinSkew.Identity);
    }

    /// <summary>
    /// The "Example Calculations" of "Signature Calculations for the Authorization Header: Transferring
    /// Payload in Multiple Chunks": 66560 bytes of 'a' in a 65536-byte chunk, a 1024-byte chunk and
    /// the final empty chunk, each with the documented signature.
    /// </summary>
    internal static (SigningRequest Request, byte[] Body) ChunkedUploadExample()
    {
        var request = new SigningRequest(
            "PUT",
            "/examplebucket/chunkObject.txt",
            string.Empty,
            Headers(
                ("Host", "s3.amazonaws.com"),
                ("x-amz-date", "20130524T000000Z"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
                ("Content-Encoding", "aws-chunked"),
                ("x-amz-decoded-content-length", "66560"),
                ("Content-Length", "66824"),
                ("Authorization", $"AWS4-HMAC-SHA256 {Credential},SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")),
            ExampleTime);

        using var body = new MemoryStream();
        void Write(string text) => body.Write(System.Text.Encoding.ASCII.GetBytes(text));
        Write(string.Create(CultureInfo.InvariantCulture, $"{65536:x};chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n"));
        Write(new string('a', 65536) + "\r\n");
        Write(string.Create(CultureInfo.InvariantCulture, $"{1024:x};chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n"));
        Write(new string('a', 1024) + "\r\n");
        Write("0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n");
        return (request, body.ToArray());
    }

    [Fact]
    public async Task Verifies_the_seed_signature_of_the_chunked_upload_example()
    {
        var (request, body) = ChunkedUploadExample();

        var result = await Authenticator.AuthenticateAsync(request, CancellationToken.None);

        Assert.Equal(66824, body.Length);
        Assert.NotNull(result.Chunked);
        Assert.Equal("4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9", result.Chunked.SeedSignature);
        Assert.Equal("20130524/us-east-1/s3/aws4_request", result.Chunked.Scope);
        Assert.Equal("20130524T000000Z", result.Chunked.AmzDate);
    }
}
