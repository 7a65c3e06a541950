using Tally.Core.Errors;
using Tally.S3.Operations;

namespace Tally.Server.Pipeline;

/// <summary>
/// Where a request points: bucket and key from path-style (/bucket/key) or virtual-hosted-style
/// (bucket.DOMAIN/key) addressing. The key is percent-decoded once from the raw request target,
/// so '+' stays '+' and '%2F' becomes '/', as S3 does.
/// </summary>
public sealed record S3Address(string? Bucket, string? Key, string RawPath, string RawQuery, bool IsVirtualHosted = false)
{
    public S3Target Target => Key is not null ? S3Target.Object : Bucket is not null ? S3Target.Bucket : S3Target.Service;

    public static S3Address Parse(string rawTarget, string host, string? domain)
    {
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? rawTarget : rawTarget[..q];
        var rawQuery = q < 0 ? string.Empty : rawTarget[(q + 1)..];
        if (rawPath.Length == 0 || rawPath[0] != '/')
        {
            throw new S3Exception(S3Errors.InvalidURI);
        }

        var virtualBucket = VirtualHostBucket(host, domain);
        if (virtualBucket is not null)
        {
            var key = rawPath.Length > 1 ? Decode(rawPath[1..]) : null;
            return new S3Address(virtualBucket, key, rawPath, rawQuery, IsVirtualHosted: true);
        }

        var slash = rawPath.IndexOf('/', 1);
        if (rawPath.Length == 1)
        {
            return new S3Address(null, null, rawPath, rawQuery);
        }

        if (slash < 0 || slash == rawPath.Length - 1)
        {
            var bucketPart = slash < 0 ? rawPath[1..] : rawPath[1..slash];
            return new S3Address(Decode(bucketPart), null, rawPath, rawQuery);
        }

        return new S3Address(Decode(rawPath[1..slash]), Decode(rawPath[(slash + 1)..]), rawPath, rawQuery);
    }

    private static string? VirtualHostBucket(string host, string? domain)
    {
        if (string.IsNullOrEmpty(domain) || host.Length <= domain.Length + 1)
        {
            return null;
        }

        return host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase) ? host[..^(domain.Length + 1)] : null;
    }

    private static string Decode(string raw)
    {
        try
        {
            return Uri.UnescapeDataString(raw);
        }
        catch (UriFormatException)
        {
            throw new S3Exception(S3Errors.InvalidURI);
        }
    }
}
