using Amazon.S3.Model;
using Tally.Core.Errors;
using Tally.Security.SigV4;

namespace Tally.Security.Tests.SigV4;

/// <summary>Requests signed by the real AWS SDK for .NET are accepted; changed ones are not.</summary>
public sealed class SdkSignatureTests(ExampleCredentials credentials) : IClassFixture<ExampleCredentials>
{
    private SigV4Authenticator Authenticator => new(credentials.Store);

    [Theory]
    [InlineData("plain.txt")]
    [InlineData("dir/sub dir/file name+plus!(1)*'~.txt")]
    [InlineData("ünïcødé/キー.bin")]
    [InlineData("percent%20literal&amp=x?.txt")]
    public async Task Accepts_sdk_signed_get_object_requests_for_awkward_keys(string key)
    {
        using var sdk = new SdkCapture(ExampleCredentials.AccessKey, ExampleCredentials.SecretKey);
        using var response = await sdk.Client.GetObjectAsync(new GetObjectRequest { BucketName = "bucket", Key = key, ByteRange = new ByteRange(0, 9) });

        var result = await Authenticator.AuthenticateAsync(sdk.Requests[0].ToSigningRequest(), CancellationToken.None);

        Assert.Equal(ExampleCredentials.AccessKey, result.AccessKeyId);
        Assert.Equal("AuthHeader", result.AuthType);
    }

    [Fact]
    public async Task Accepts_sdk_signed_list_objects_with_query_parameters_that_need_encoding()
    {
        using var sdk = new SdkCapture(ExampleCredentials.AccessKey, ExampleCredentials.SecretKey);
        try
        {
            await sdk.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket", Prefix = "a b/c+d=é", Delimiter = "/", MaxKeys = 5, StartAfter = "x&y" });
        }
        catch (Amazon.Runtime.AmazonServiceException)
        {
            // The canned empty response is not a valid listing; only the request matters here.
        }

        var request = sdk.Requests[0];
        var result = await Authenticator.AuthenticateAsync(request.ToSigningRequest(), CancellationToken.None);

        Assert.NotNull(result.Identity);
        Assert.Contains("prefix=", request.Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepts_an_sdk_presigned_put_url_and_rejects_it_after_it_expires()
    {
        using var sdk = new SdkCapture(ExampleCredentials.AccessKey, ExampleCredentials.SecretKey);
        var url = new Uri(await sdk.Client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = "bucket",
            Key = "up loaded.txt",
            Verb = Amazon.S3.HttpVerb.PUT,
            Expires = DateTime.UtcNow.AddMinutes(10),
        }));
        var headers = DocumentationExampleTests.Headers(("Host", url.Authority));
        var signedAt = DateTimeOffset.ParseExact(
            System.Web.HttpUtility.ParseQueryString(url.Query)["X-Amz-Date"]!, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        var request = new SigningRequest("PUT", url.AbsolutePath, url.Query.TrimStart('?'), headers, signedAt.AddMinutes(1));

        var result = await Authenticator.AuthenticateAsync(request, CancellationToken.None);
        Assert.Equal("QueryString", result.AuthType);
        Assert.Equal("SigV4", result.SignatureVersion);

        var late = request with { Now = result.Expires!.Value.AddSeconds(1) };
        var expired = await Assert.ThrowsAsync<S3Exception>(() => Authenticator.AuthenticateAsync(late, CancellationToken.None).AsTask());
        Assert.Equal("AccessDenied", expired.Error.Code);
        Assert.Equal("Request has expired", expired.Message);

        var otherMethod = request with { Method = "DELETE" };
        var mismatch = await Assert.ThrowsAsync<S3Exception>(() => Authenticator.AuthenticateAsync(otherMethod, CancellationToken.None).AsTask());
        Assert.Equal("SignatureDoesNotMatch", mismatch.Error.Code);
    }

    [Fact]
    public async Task Rejects_an_sdk_request_signed_with_the_wrong_secret()
    {
        using var sdk = new SdkCapture(ExampleCredentials.AccessKey, "not-the-right-secret-key-0000000000000000");
        await sdk.Client.DeleteObjectAsync("bucket", "key");

        var error = await Assert.ThrowsAsync<S3Exception>(() => Authenticator.AuthenticateAsync(sdk.Requests[0].ToSigningRequest(), CancellationToken.None).AsTask());

        Assert.Equal("SignatureDoesNotMatch", error.Error.Code);
    }

    [Fact]
    public async Task Rejects_an_unknown_access_key_with_InvalidAccessKeyId()
    {
        using var sdk = new SdkCapture("AKIAUNKNOWNKEY000000", ExampleCredentials.SecretKey);
        await sdk.Client.DeleteObjectAsync("bucket", "key");

        var error = await Assert.ThrowsAsync<S3Exception>(() => Authenticator.AuthenticateAsync(sdk.Requests[0].ToSigningRequest(), CancellationToken.None).AsTask());

        Assert.Equal("InvalidAccessKeyId", error.Error.Code);
        Assert.Equal(403, error.Error.HttpStatus);
        Assert.Equal("AKIAUNKNOWNKEY000000", error.Details["AWSAccessKeyId"]);
    }

    [Fact]
    public async Task Authenticates_an_iam_user_created_after_the_authenticator()
    {
        var authenticator = Authenticator;
        var user = await credentials.Store.CreateUserAsync("sdk-user-" + Guid.NewGuid().ToString("N")[..8]);
        using var sdk = new SdkCapture(user.AccessKeyId, user.SecretAccessKey);
        await sdk.Client.DeleteObjectAsync("bucket", "key");

        var result = await authenticator.AuthenticateAsync(sdk.Requests[0].ToSigningRequest(), CancellationToken.None);

        Assert.Equal(user.Identity, result.Identity);
        Assert.Equal(user.Identity.Arn, result.Identity!.Requester);
    }
}
