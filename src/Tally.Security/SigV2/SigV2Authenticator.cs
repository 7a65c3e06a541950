using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tally.Core.Errors;
using Tally.Security.Credentials;
using Tally.Security.SigV4;

namespace Tally.Security.SigV2;

/// <summary>
/// Verifies AWS Signature Version 2 (HMAC-SHA1), still what boto3 presigns with by default for a
/// custom endpoint and what older tools (s3cmd with signature_v2) send: the header form
/// <c>Authorization: AWS AKID:signature</c> and the query form <c>AWSAccessKeyId, Expires,
/// Signature</c>. The payload is not signed; Content-MD5 (when sent) is checked with the body.
/// Thread-safe.
/// </summary>
public sealed class SigV2Authenticator(ICredentialStore credentials, SigV4Options? options = null)
{
    public const string SignatureVersion = "SigV2";

    /// <summary>Query parameters that are part of the string to sign (the sub-resources), as AWS lists them.</summary>
    private static readonly HashSet<string> SignedSubResources = new(StringComparer.Ordinal)
    {
        "accelerate", "acl", "analytics", "cors", "delete", "inventory", "lifecycle", "location", "logging", "metrics",
        "notification", "object-lock", "partNumber", "policy", "policyStatus", "publicAccessBlock", "ownershipControls",
        "replication", "requestPayment", "restore", "select", "select-type", "storageClass", "tagging", "torrent",
        "uploadId", "uploads", "versionId", "versioning", "versions", "website",
        "response-cache-control", "response-content-disposition", "response-content-encoding", "response-content-language",
        "response-content-type", "response-expires",
    };

    private readonly TimeSpan _maxClockSkew = (options ?? new SigV4Options()).MaxClockSkew;

    /// <summary>Whether the request carries a SigV2 signature (header or query form).</summary>
    public static bool Applies(SigningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Header("authorization") is { } authorization)
        {
            return authorization.StartsWith("AWS ", StringComparison.Ordinal);
        }

        var query = CanonicalRequest.ParseQuery(request.RawQuery);
        return query.Exists(p => p.Name == "AWSAccessKeyId") && query.Exists(p => p.Name == "Signature");
    }

    /// <param name="request">The request as sent.</param>
    /// <param name="virtualHostBucket">The bucket named by the Host header (virtual-hosted style), or null.</param>
    /// <param name="cancellationToken">Cancels the credential lookup.</param>
    public async ValueTask<AuthenticationResult> AuthenticateAsync(SigningRequest request, string? virtualHostBucket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = CanonicalRequest.ParseQuery(request.RawQuery);
        var authorization = request.Header("authorization");
        string accessKeyId, provided, dateLine, authType;
        if (authorization is not null)
        {
            var colon = authorization.LastIndexOf(':');
            if (colon <= 4)
            {
                throw new S3Exception(S3Errors.InvalidArgument, "Authorization header is invalid -- one and only one ' ' (space) required");
            }

            accessKeyId = authorization[4..colon].Trim();
            provided = authorization[(colon + 1)..].Trim();
            dateLine = request.Header("x-amz-date") is not null ? string.Empty : request.Header("date") ?? string.Empty;
            var sent = ParseHttpDate(request.Header("x-amz-date") ?? request.Header("date"))
                ?? throw new S3Exception(S3Errors.AccessDenied, "AWS authentication requires a valid Date or x-amz-date header");
            if ((request.Now - sent).Duration() > _maxClockSkew)
            {
                throw S3Exception.With(
                    S3Errors.RequestTimeTooSkewed,
                    null,
                    ("RequestTime", sent.ToString("r", CultureInfo.InvariantCulture)),
                    ("ServerTime", request.Now.ToString("r", CultureInfo.InvariantCulture)));
            }

            authType = AuthenticationResult.AuthHeader;
        }
        else
        {
            accessKeyId = query.Find(p => p.Name == "AWSAccessKeyId").Value;
            provided = query.Find(p => p.Name == "Signature").Value;
            dateLine = query.Exists(p => p.Name == "Expires")
                ? query.Find(p => p.Name == "Expires").Value
                : throw new S3Exception(S3Errors.AccessDenied, "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
            if (!long.TryParse(dateLine, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
            {
                throw new S3Exception(S3Errors.AccessDenied, "Invalid date (should be seconds since epoch): " + dateLine);
            }

            if (request.Now.ToUnixTimeSeconds() > expires)
            {
                throw S3Exception.With(
                    S3Errors.AccessDenied,
                    "Request has expired",
                    ("Expires", DateTimeOffset.FromUnixTimeSeconds(expires).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                    ("ServerTime", request.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
            }

            authType = AuthenticationResult.QueryString;
        }

        var user = await credentials.FindByAccessKeyAsync(accessKeyId, cancellationToken)
            ?? throw S3Exception.With(S3Errors.InvalidAccessKeyId, null, ("AWSAccessKeyId", accessKeyId));
        var stringToSign = StringToSign(request, dateLine, virtualHostBucket, query);
#pragma warning disable CA5350 // SigV2 is defined as HMAC-SHA1; verifying it needs SHA-1.
        var computed = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(user.SecretAccessKey), Encoding.UTF8.GetBytes(stringToSign)));
#pragma warning restore CA5350
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(provided)))
        {
            throw S3Exception.With(
                S3Errors.SignatureDoesNotMatch,
                null,
                ("AWSAccessKeyId", accessKeyId),
                ("StringToSign", stringToSign),
                ("SignatureProvided", provided));
        }

        return new AuthenticationResult(user.Identity, SignatureVersion, authType, user.AccessKeyId, SigV4Constants.UnsignedPayload);
    }

    /// <summary>
    /// VERB \n Content-MD5 \n Content-Type \n Date|Expires \n CanonicalizedAmzHeaders CanonicalizedResource,
    /// where the resource is [/bucket] + the path as sent + the signed sub-resources, sorted, values decoded.
    /// </summary>
    internal static string StringToSign(SigningRequest request, string dateLine, string? virtualHostBucket, List<QueryParameter> query)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(query);
        var builder = new StringBuilder(256)
            .Append(request.Method).Append('\n')
            .Append(request.Header("content-md5")?.Trim()).Append('\n')
            .Append(request.Header("content-type")?.Trim()).Append('\n')
            .Append(dateLine).Append('\n');

        foreach (var name in AmzHeaderNames(request))
        {
            builder.Append(name).Append(':').Append(request.Header(name)!.Trim()).Append('\n');
        }

        if (virtualHostBucket is not null)
        {
            builder.Append('/').Append(virtualHostBucket);
        }

        builder.Append(request.RawPath.Length == 0 ? "/" : request.RawPath);
        var subResources = query.Where(p => SignedSubResources.Contains(p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        for (var i = 0; i < subResources.Count; i++)
        {
            var p = subResources[i];
            builder.Append(i == 0 ? '?' : '&').Append(p.Name);
            if (p.Value.Length > 0 || request.RawQuery.Contains(p.Name + "=", StringComparison.Ordinal))
            {
                builder.Append('=').Append(p.Value);
            }
        }

        return builder.ToString();
    }

    /// <summary>The x-amz-* header names of the request, lower-case and sorted (values come from <see cref="SigningRequest.Header"/>).</summary>
    private static IEnumerable<string> AmzHeaderNames(SigningRequest request) =>
        (request.HeaderNames ?? []).Select(n => n.ToLowerInvariant())
            .Where(n => n.StartsWith("x-amz-", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    private static DateTimeOffset? ParseHttpDate(string? value) =>
        value is not null && DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;
}
