using Tally.Core.Errors;

namespace Tally.Security.Acls;

/// <summary>
/// Canned ACLs (x-amz-acl) and explicit grant headers (x-amz-grant-*), as acl-overview.html
/// defines them. Pure.
/// </summary>
public static class CannedAcl
{
    public const string Private = "private";
    public const string PublicRead = "public-read";
    public const string PublicReadWrite = "public-read-write";
    public const string AwsExecRead = "aws-exec-read";
    public const string AuthenticatedRead = "authenticated-read";
    public const string BucketOwnerRead = "bucket-owner-read";
    public const string BucketOwnerFullControl = "bucket-owner-full-control";
    public const string LogDeliveryWrite = "log-delivery-write";

    /// <summary>The canonical user id aws-exec-read grants READ to (Amazon EC2, for AMI bundles).</summary>
    public const string Ec2CanonicalId = "6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c";

    public static readonly IReadOnlyList<string> Names =
        [Private, PublicRead, PublicReadWrite, AwsExecRead, AuthenticatedRead, BucketOwnerRead, BucketOwnerFullControl, LogDeliveryWrite];

    private static readonly (string Header, AclPermission Permission)[] GrantHeaders =
    [
        ("x-amz-grant-read", AclPermission.Read),
        ("x-amz-grant-write", AclPermission.Write),
        ("x-amz-grant-read-acp", AclPermission.ReadAcp),
        ("x-amz-grant-write-acp", AclPermission.WriteAcp),
        ("x-amz-grant-full-control", AclPermission.FullControl),
    ];

    public static bool IsKnown(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>
    /// The ACL a canned name stands for. <paramref name="ownerCanonicalId"/> owns the resource;
    /// <paramref name="bucketOwnerCanonicalId"/> is the bucket's owner (bucket-owner-read and
    /// bucket-owner-full-control grant to it; on a bucket, or when they are the same, they are private).
    /// </summary>
    /// <exception cref="S3Exception">InvalidArgument for an unknown name.</exception>
    public static AccessControlList Build(string name, string ownerCanonicalId, string bucketOwnerCanonicalId)
    {
        ArgumentNullException.ThrowIfNull(name);
        var grants = new List<AclGrant> { new(AclGrantee.CanonicalUser(ownerCanonicalId), AclPermission.FullControl) };
        var bucketOwnerIsOther = !string.Equals(ownerCanonicalId, bucketOwnerCanonicalId, StringComparison.OrdinalIgnoreCase);
        switch (name)
        {
            case Private:
                break;
            case PublicRead:
                grants.Add(new(AclGrantee.AllUsers, AclPermission.Read));
                break;
            case PublicReadWrite:
                grants.Add(new(AclGrantee.AllUsers, AclPermission.Read));
                grants.Add(new(AclGrantee.AllUsers, AclPermission.Write));
                break;
            case AwsExecRead:
                grants.Add(new(AclGrantee.CanonicalUser(Ec2CanonicalId), AclPermission.Read));
                break;
            case AuthenticatedRead:
                grants.Add(new(AclGrantee.AuthenticatedUsers, AclPermission.Read));
                break;
            case BucketOwnerRead when bucketOwnerIsOther:
                grants.Add(new(AclGrantee.CanonicalUser(bucketOwnerCanonicalId), AclPermission.Read));
                break;
            case BucketOwnerFullControl when bucketOwnerIsOther:
                grants.Add(new(AclGrantee.CanonicalUser(bucketOwnerCanonicalId), AclPermission.FullControl));
                break;
            case BucketOwnerRead or BucketOwnerFullControl:
                break;
            case LogDeliveryWrite:
                grants.Add(new(AclGrantee.LogDelivery, AclPermission.Write));
                grants.Add(new(AclGrantee.LogDelivery, AclPermission.ReadAcp));
                break;
            default:
                throw S3Exception.With(S3Errors.InvalidArgument, null, ("ArgumentName", "x-amz-acl"), ("ArgumentValue", name));
        }

        return new AccessControlList(ownerCanonicalId, grants);
    }

    /// <summary>Whether the request carries x-amz-acl or any x-amz-grant-* header.</summary>
    public static bool InHeaders(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header("x-amz-acl") is not null || GrantHeaders.Any(g => header(g.Header) is not null);
    }

    /// <summary>
    /// The ACL a request's headers set, or null when it has neither x-amz-acl nor x-amz-grant-*.
    /// Both at once is InvalidRequest, an unknown canned name or a malformed grant InvalidArgument.
    /// </summary>
    public static AccessControlList? FromHeaders(Func<string, string?> header, string ownerCanonicalId, string bucketOwnerCanonicalId)
    {
        ArgumentNullException.ThrowIfNull(header);
        var canned = header("x-amz-acl");
        var grants = new List<AclGrant>();
        foreach (var (name, permission) in GrantHeaders)
        {
            var value = header(name);
            if (value is not null)
            {
                grants.AddRange(ParseGrantees(name, value).Select(g => new AclGrant(g, permission)));
            }
        }

        if (canned is not null && grants.Count > 0)
        {
            throw new S3Exception(S3Errors.InvalidRequest, "Specifying both Canned ACLs and Header Grants is not allowed");
        }

        if (canned is not null)
        {
            return Build(canned, ownerCanonicalId, bucketOwnerCanonicalId);
        }

        return grants.Count > 0 || GrantHeaders.Any(g => header(g.Header) is not null)
            ? new AccessControlList(ownerCanonicalId, grants)
            : null;
    }

    // A grant header is a comma-separated list of type="value" with type id, uri or emailAddress.
    private static IEnumerable<AclGrantee> ParseGrantees(string header, string value)
    {
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw InvalidGrant(header, value);
            }

            var type = item[..equals].Trim();
            var text = item[(equals + 1)..].Trim();
            if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
            {
                text = text[1..^1];
            }

            if (text.Length == 0)
            {
                throw InvalidGrant(header, value);
            }

            yield return type.ToLowerInvariant() switch
            {
                "id" => AclGrantee.CanonicalUser(text),
                "uri" when text is AclGrantee.AllUsersUri or AclGrantee.AuthenticatedUsersUri or AclGrantee.LogDeliveryUri => new AclGrantee(GranteeType.Group, text),
                "uri" => throw S3Exception.With(S3Errors.InvalidArgument, "Invalid group uri", ("ArgumentName", "uri"), ("ArgumentValue", text)),
                "emailaddress" => new AclGrantee(GranteeType.Email, text),
                _ => throw InvalidGrant(header, value),
            };
        }
    }

    private static S3Exception InvalidGrant(string header, string value) =>
        S3Exception.With(S3Errors.InvalidArgument, null, ("ArgumentName", header), ("ArgumentValue", value));
}
