using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tally.Core.Errors;
using Tally.Security.SigV2;
using Tally.Security.SigV4;

namespace Tally.Security.Tests.SigV2;

public sealed class SigV2AuthenticatorTests : IDisposable
{
    private static readonly DateTimeOffset DocumentationTime = new(2007, 3, 27, 19, 36, 42, TimeSpan.Zero);
    private readonly ExampleCredentials _credentials = new();

    public void Dispose() => _credentials.Dispose();

    [Theory]
    [InlineData("/johnsmith/photos/puppy.jpg", null, "bWq2s1WEIj+Ydj0vQ697zp+IXMU=")]
    [InlineData("/photos/puppy.jpg", "awsexamplebucket1", "qgk2+6Sv9/oM7G3qLEjTH1a1l1g=")]
    public async Task Accepts_the_AWS_documentation_examples(string rawPath, string? virtualHostBucket, string signature)
    {
        var request = Request("GET", rawPath, string.Empty, new Dictionary<string, string>
        {
            ["Date"] = "Tue, 27 Mar 2007 19:36:42 +0000",
            ["Authorization"] = $"AWS {ExampleCredentials.AccessKey}:{signature}",
        });

        var result = await new SigV2Authenticator(_credentials.Store).AuthenticateAsync(request, virtualHostBucket, default);

        Assert.Equal("SigV2", result.SignatureVersion);
        Assert.Equal(AuthenticationResult.AuthHeader, result.AuthType);
        Assert.Equal(ExampleCredentials.AccessKey, result.AccessKeyId);
    }

    [Fact]
    public async Task Rejects_a_signature_made_with_another_secret()
    {
        var request = Request("GET", "/johnsmith/photos/puppy.jpg", string.Empty, new Dictionary<string, string>
        {
            ["Date"] = "Tue, 27 Mar 2007 19:36:42 +0000",
            ["Authorization"] = $"AWS {ExampleCredentials.AccessKey}:{Sign("GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg", "another-secret")}",
        });

        var error = await Assert.ThrowsAsync<S3Exception>(() => new SigV2Authenticator(_credentials.Store).AuthenticateAsync(request, null, default).AsTask());
        Assert.Equal("SignatureDoesNotMatch", error.Error.Code);
    }

    [Fact]
    public async Task Signs_amz_headers_and_sub_resources_in_sorted_order()
    {
        var stringToSign = "PUT\n\ntext/plain\n\nx-amz-date:Tue, 27 Mar 2007 19:36:42 +0000\nx-amz-meta-a:1\n/bucket/key?acl&versionId=v1";
        var request = Request("PUT", "/bucket/key", "versionId=v1&acl&x-id=ignored", new Dictionary<string, string>
        {
            ["Content-Type"] = "text/plain",
            ["X-Amz-Meta-A"] = "1",
            ["x-amz-date"] = "Tue, 27 Mar 2007 19:36:42 +0000",
            ["Authorization"] = $"AWS {ExampleCredentials.AccessKey}:{Sign(stringToSign, ExampleCredentials.SecretKey)}",
        });

        var result = await new SigV2Authenticator(_credentials.Store).AuthenticateAsync(request, null, default);
        Assert.NotNull(result.Identity);
    }

    [Fact]
    public async Task Presigned_urls_work_until_they_expire()
    {
        var expires = DocumentationTime.AddMinutes(5).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Sign($"GET\n\n\n{expires}\n/bucket/report.csv", ExampleCredentials.SecretKey);
        var query = $"AWSAccessKeyId={ExampleCredentials.AccessKey}&Expires={expires}&Signature={Uri.EscapeDataString(signature)}";
        var authenticator = new SigV2Authenticator(_credentials.Store);

        var valid = await authenticator.AuthenticateAsync(Request("GET", "/bucket/report.csv", query, [], DocumentationTime), null, default);
        Assert.Equal(AuthenticationResult.QueryString, valid.AuthType);

        var error = await Assert.ThrowsAsync<S3Exception>(() => authenticator.AuthenticateAsync(Request("GET", "/bucket/report.csv", query, [], DocumentationTime.AddMinutes(6)), null, default).AsTask());
        Assert.Equal("AccessDenied", error.Error.Code);
        Assert.Equal("Request has expired", error.Message);
    }

    [Fact]
    public void Recognises_both_forms_and_leaves_SigV4_alone()
    {
        Assert.True(SigV2Authenticator.Applies(Request("GET", "/", string.Empty, new Dictionary<string, string> { ["Authorization"] = "AWS AKID:sig" })));
        Assert.True(SigV2Authenticator.Applies(Request("GET", "/", "AWSAccessKeyId=AKID&Expires=1&Signature=x", [])));
        Assert.False(SigV2Authenticator.Applies(Request("GET", "/", string.Empty, new Dictionary<string, string> { ["Authorization"] = "AWS4-HMAC-SHA256 Credential=x" })));
    }

    private static SigningRequest Request(string method, string rawPath, string rawQuery, Dictionary<string, string> headers, DateTimeOffset? now = null)
    {
        var byName = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        return new SigningRequest(method, rawPath, rawQuery, name => byName.GetValueOrDefault(name), now ?? DocumentationTime, byName.Keys);
    }

    private static string Sign(string stringToSign, string secret) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));
}
