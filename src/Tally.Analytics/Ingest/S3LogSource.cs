using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Tally.Analytics.Ingest;

/// <summary>
/// Log objects under <c>s3://bucket/prefix</c> on AWS, a running Tally or any S3 endpoint.
/// Credentials and region are found the way the aws CLI finds them (AWS_ACCESS_KEY_ID /
/// AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws, …: the SDK's default chain); the identity of an
/// object is its key, size and ETag.
/// </summary>
public static class S3LogSource
{
    public static bool IsS3Uri(string source) => source.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);

    public static (string Bucket, string Prefix) ParseUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!IsS3Uri(uri))
        {
            throw new ArgumentException($"'{uri}' is not an s3:// URI.", nameof(uri));
        }

        var rest = uri[5..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0)
        {
            throw new ArgumentException($"'{uri}' names no bucket.", nameof(uri));
        }

        return (bucket, slash < 0 ? string.Empty : rest[(slash + 1)..]);
    }

    /// <summary>A client for <paramref name="endpoint"/> (path-style), or for AWS when null.</summary>
    public static AmazonS3Client CreateClient(string? endpoint)
    {
        var region = Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1";
        var config = new AmazonS3Config();
        if (endpoint is null)
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region;
        }

        // Response checksums are optional on non-AWS endpoints; log objects are verified by size.
        config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        return new AmazonS3Client(config);
    }

    public static async Task<IReadOnlyList<LogObject>> ListAsync(AmazonS3Client client, string uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (bucket, prefix) = ParseUri(uri);
        var objects = new List<LogObject>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        do
        {
            var page = await client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                var key = item.Key;
                objects.Add(new LogObject(
                    $"s3://{bucket}/{key}",
                    item.Size ?? 0,
                    item.ETag ?? string.Empty,
                    async ct =>
                    {
                        var response = await client.GetObjectAsync(bucket, key, ct).ConfigureAwait(false);
                        return response.ResponseStream;
                    }));
            }

            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
        return objects;
    }
}
