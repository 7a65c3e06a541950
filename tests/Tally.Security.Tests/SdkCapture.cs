using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Tally.Security.SigV4;

namespace Tally.Security.Tests;

/// <summary>A request exactly as the AWS SDK put it on the wire (captured before any network I/O).</summary>
internal sealed record CapturedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public DateTimeOffset SignedAt => DateTimeOffset.ParseExact(
        Header("x-amz-date")!, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public SigningRequest ToSigningRequest(DateTimeOffset? now = null, Func<string, string?>? header = null) =>
        new(Method, Uri.AbsolutePath, Uri.Query.TrimStart('?'), header ?? Header, now ?? SignedAt);
}

/// <summary>
/// An AmazonS3Client whose HTTP handler records each request and answers 200, so tests use the
/// SDK's real signer and chunked encoder without a server or a network.
/// </summary>
internal sealed class SdkCapture : IDisposable
{
    private readonly CapturingHandler _handler = new();

    public SdkCapture(string accessKey, string secretKey, string serviceUrl = "https://s3.example.test", Action<AmazonS3Config>? configure = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = serviceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            HttpClientFactory = new Factory(_handler),
            MaxErrorRetry = 0,
        };
        configure?.Invoke(config);
        Client = new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), config);
    }

    public AmazonS3Client Client { get; }

    public IReadOnlyList<CapturedRequest> Requests => _handler.Requests;

    public void Dispose() => Client.Dispose();

    private sealed class Factory(CapturingHandler handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<CapturedRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in request.Headers)
            {
                headers[name] = string.Join(",", values);
            }

            var body = Array.Empty<byte>();
            if (request.Content is not null)
            {
                foreach (var (name, values) in request.Content.Headers)
                {
                    headers[name] = string.Join(",", values);
                }

                body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            }

            headers.TryAdd("host", request.Headers.Host ?? request.RequestUri!.Authority);
            lock (Requests)
            {
                Requests.Add(new CapturedRequest(request.Method.Method, request.RequestUri!, headers, body));
            }

            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
            response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"d41d8cd98f00b204e9800998ecf8427e\"");
            return response;
        }
    }
}
