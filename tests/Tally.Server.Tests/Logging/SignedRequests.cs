using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Internal.Util;
using Amazon.S3;
using Amazon.S3.Model;

namespace Tally.Server.Tests.Logging;

/// <summary>
/// A raw HTTP request signed with SigV4 by the AWS SDK's own signer, for operations the SDK has no
/// call for (Tally's <c>POST /bucket?logging</c> flush extension).
/// </summary>
internal static class SignedRequests
{
    /// <summary>
    /// Sends <paramref name="method"/> <c>/<paramref name="bucket"/>?<paramref name="subResource"/></c>
    /// with an empty body, signed as <paramref name="accessKey"/>.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        TallyServer server, HttpMethod method, string bucket, string subResource,
        string accessKey = TallyServer.RootAccessKey, string secretKey = TallyServer.RootSecretKey)
    {
        var config = new AmazonS3Config { ServiceURL = server.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" };

        // The request object only names the service for the signer; nothing of it is sent.
        var request = new DefaultRequest(new ListBucketsRequest(), "S3")
        {
            HttpMethod = method.Method,
            Endpoint = server.Endpoint,
            ResourcePath = "/" + bucket,
            AuthenticationRegion = "us-east-1",
        };
        request.AddSubResource(subResource);
        request.Headers["x-amz-content-sha256"] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        new AWS4Signer().Sign(request, config, new RequestMetrics(), new BasicAWSCredentials(accessKey, secretKey));

        using var http = server.Http();
        using var message = new HttpRequestMessage(method, $"/{bucket}?{subResource}") { Content = new ByteArrayContent([]) };
        foreach (var (name, value) in request.Headers)
        {
            if (!string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase) && !message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await http.SendAsync(message);
    }
}
