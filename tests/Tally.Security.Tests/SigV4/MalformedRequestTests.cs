using Tally.Core.Errors;
using Tally.Security.SigV4;
using static Tally.Security.Tests.SigV4.DocumentationExampleTests;

namespace Tally.Security.Tests.SigV4;

public sealed class MalformedRequestTests(ExampleCredentials credentials) : IClassFixture<ExampleCredentials>
{
    private static readonly DateTimeOffset ExampleTime = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);
    private static readonly string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private SigV4Authenticator Authenticator => new(credentials.Store, new SigV4Options { Region = "us-east-1" });

    private async Task<S3Exception> Rejected(string rawQuery, params (string Name, string Value)[] headers) =>
        await Assert.ThrowsAsync<S3Exception>(() =>
            Authenticator.AuthenticateAsync(new SigningRequest("GET", "/test.txt", rawQuery, Headers(headers), ExampleTime), CancellationToken.None).AsTask());

    private static (string, string)[] WithAuthorization(string authorization) => WithAuthorization(authorization, EmptyHash);

    private static (string, string)[] WithAuthorization(string authorization, string? contentSha256)
    {
        var headers = new List<(string, string)> { ("Host", "examplebucket.s3.amazonaws.com"), ("x-amz-date", "20130524T000000Z"), ("Authorization", authorization) };
        if (contentSha256 is not null)
        {
            headers.Add(("x-amz-content-sha256", contentSha256));
        }

        return [.. headers];
    }

    [Fact]
    public async Task A_request_without_any_authentication_is_anonymous()
    {
        var result = await Authenticator.AuthenticateAsync(
            new SigningRequest("GET", "/bucket/key", "prefix=a", Headers(("Host", "localhost")), ExampleTime), CancellationToken.None);

        Assert.Same(AuthenticationResult.Anonymous, result);
        Assert.True(result.IsAnonymous);
        Assert.Null(result.SignatureVersion);
        Assert.Null(result.AuthType);
    }

    [Fact]
    public async Task Rejects_sigv2_header_and_query_authentication_with_aws_message()
    {
        var header = await Rejected(string.Empty, ("Host", "h"), ("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="));
        var query = await Rejected("AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1141889120&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D", ("Host", "h"));

        foreach (var error in new[] { header, query })
        {
            Assert.Equal("InvalidRequest", error.Error.Code);
            Assert.Equal(400, error.Error.HttpStatus);
            Assert.Contains("Please use AWS4-HMAC-SHA256", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3,SignedHeaders=host,Signature=abc")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130523/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=abc")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/eu-west-1/s3/aws4_request,SignedHeaders=host,Signature=abc")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/ec2/aws4_request,SignedHeaders=host,Signature=abc")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws5_request,SignedHeaders=host,Signature=abc")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=range;x-amz-date,Signature=abc")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=Host,Signature=abc")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,Bogus=1,SignedHeaders=host,Signature=abc")]
    public async Task Rejects_a_malformed_authorization_header(string authorization)
    {
        var error = await Rejected(string.Empty, WithAuthorization(authorization));

        Assert.Equal("AuthorizationHeaderMalformed", error.Error.Code);
        Assert.StartsWith("The authorization header is malformed; ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_the_expected_region_when_the_scope_has_another()
    {
        var error = await Rejected(string.Empty, WithAuthorization(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/eu-west-1/s3/aws4_request,SignedHeaders=host,Signature=abc"));

        Assert.Equal("us-east-1", error.Details["Region"]);
    }

    [Fact]
    public async Task Requires_x_amz_content_sha256_with_header_authentication()
    {
        var error = await Rejected(string.Empty, WithAuthorization(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=abc", contentSha256: null));

        Assert.Equal("MissingSecurityHeader", error.Error.Code);
        Assert.Equal("x-amz-content-sha256", error.Details["MissingHeaderName"]);
    }

    [Theory]
    [InlineData("not-a-hash")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")]
    public async Task Rejects_an_invalid_x_amz_content_sha256(string value)
    {
        var error = await Rejected(string.Empty, WithAuthorization(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=abc", value));

        Assert.Equal("InvalidArgument", error.Error.Code);
        Assert.Equal("x-amz-content-sha256", error.Details["ArgumentName"]);
    }

    [Fact]
    public async Task Rejects_a_request_without_a_usable_date()
    {
        var error = await Rejected(string.Empty, ("Host", "h"), ("x-amz-content-sha256", EmptyHash), ("x-amz-date", "2013-05-24"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=abc"));

        Assert.Equal("AccessDenied", error.Error.Code);
    }

    [Fact]
    public async Task Rejects_session_tokens_as_unsupported()
    {
        var header = await Rejected(string.Empty, [.. WithAuthorization(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=abc"), ("x-amz-security-token", "FQoGZXIvYXdzE")]);
        var query = await Rejected(
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FQoG&X-Amz-Signature=abc",
            ("Host", "h"));

        Assert.Equal("InvalidToken", header.Error.Code);
        Assert.Equal("InvalidToken", query.Error.Code);
    }

    [Theory]
    [InlineData("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=abc")]
    [InlineData("X-Amz-Algorithm=AWS4-HMAC-SHA1&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=abc")]
    [InlineData("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=604801&X-Amz-SignedHeaders=host&X-Amz-Signature=abc")]
    [InlineData("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=soon&X-Amz-SignedHeaders=host&X-Amz-Signature=abc")]
    [InlineData("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524&X-Amz-Date=20130524T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=abc")]
    [InlineData("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=yesterday&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=abc")]
    public async Task Rejects_malformed_presigned_query_parameters(string query)
    {
        var error = await Rejected(query, ("Host", "examplebucket.s3.amazonaws.com"));

        Assert.Equal("AuthorizationQueryParametersError", error.Error.Code);
        Assert.Equal(400, error.Error.HttpStatus);
    }

    [Fact]
    public async Task Rejects_a_presigned_url_dated_in_the_future()
    {
        var error = await Assert.ThrowsAsync<S3Exception>(() => Authenticator.AuthenticateAsync(
            new SigningRequest(
                "GET",
                "/test.txt",
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
                Headers(("Host", "examplebucket.s3.amazonaws.com")),
                ExampleTime.AddHours(-1)),
            CancellationToken.None).AsTask());

        Assert.Equal("AccessDenied", error.Error.Code);
        Assert.Equal("Request is not valid yet", error.Message);
    }

    [Fact]
    public async Task Rejects_both_an_authorization_header_and_presigned_parameters()
    {
        var error = await Rejected(
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            WithAuthorization("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=abc"));

        Assert.Equal("InvalidArgument", error.Error.Code);
        Assert.Equal("Authorization", error.Details["ArgumentName"]);
    }
}
