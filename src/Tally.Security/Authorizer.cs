using System.Collections.Frozen;
using Tally.Security.Acls;
using Tally.Security.Policies;

namespace Tally.Security;

/// <summary>
/// Who may do what: AWS's evaluation for S3 (how-s3-evaluates-access-control.html,
/// reference_policies_evaluation-logic.html), as a pure function of the documents it is given.
/// <list type="number">
/// <item>An explicit Deny in the caller's identity policy or in the bucket policy denies. (The
/// bucket owner's root user may still read, change and delete the bucket policy, so a policy
/// can never lock the owner out.)</item>
/// <item>Same account as the bucket: the root user may do everything; a user needs an Allow in
/// its identity policy, or a bucket-policy statement or ACL grant that names it directly (by its
/// ARN, "*", or a group). A user without an identity policy may do only what the bucket policy or
/// ACLs give it.</item>
/// <item>Another account: both sides must allow: the caller's account (a root user always, a user
/// through its identity policy) and the bucket (a policy statement naming the caller or its
/// account, or an ACL grant).</item>
/// <item>Anonymous and service callers: a bucket policy statement or an ACL grant to a group.</item>
/// </list>
/// ACL grants count only when ACLs are enabled (Object Ownership other than BucketOwnerEnforced);
/// public ACL grants are ignored under IgnorePublicAcls, and under RestrictPublicBuckets a public
/// bucket policy grants only to the owner's account and to service principals.
/// </summary>
public static class Authorizer
{
    /// <summary>What ListBuckets is authorised on (s3:ListAllMyBuckets names no bucket).</summary>
    public const string AllBucketsResource = "arn:aws:s3:::*";

    private static readonly FrozenSet<string> PolicyManagement = FrozenSet.ToFrozenSet(
        ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"], StringComparer.OrdinalIgnoreCase);

    // ACL permissions → actions (acl-overview.html, "Mapping of ACL permissions and access policy permissions").
    private static readonly FrozenDictionary<string, (AclPermission Permission, bool OnObject)> AclActions =
        new Dictionary<string, (AclPermission, bool)>(StringComparer.OrdinalIgnoreCase)
        {
            ["s3:ListBucket"] = (AclPermission.Read, false),
            ["s3:ListBucketVersions"] = (AclPermission.Read, false),
            ["s3:ListBucketMultipartUploads"] = (AclPermission.Read, false),
            ["s3:PutObject"] = (AclPermission.Write, false),
            ["s3:DeleteObject"] = (AclPermission.Write, false),
            ["s3:DeleteObjectVersion"] = (AclPermission.Write, false),
            ["s3:AbortMultipartUpload"] = (AclPermission.Write, false),
            ["s3:ListMultipartUploadParts"] = (AclPermission.Write, false),
            ["s3:GetBucketAcl"] = (AclPermission.ReadAcp, false),
            ["s3:PutBucketAcl"] = (AclPermission.WriteAcp, false),
            ["s3:GetObject"] = (AclPermission.Read, true),
            ["s3:GetObjectVersion"] = (AclPermission.Read, true),
            ["s3:GetObjectTorrent"] = (AclPermission.Read, true),
            ["s3:GetObjectAcl"] = (AclPermission.ReadAcp, true),
            ["s3:GetObjectVersionAcl"] = (AclPermission.ReadAcp, true),
            ["s3:PutObjectAcl"] = (AclPermission.WriteAcp, true),
            ["s3:PutObjectVersionAcl"] = (AclPermission.WriteAcp, true),
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether an ACL can grant <paramref name="action"/> at all, and if so whether the object's ACL (not the bucket's) is the one that does.</summary>
    public static bool UsesObjectAcl(string action) => AclActions.TryGetValue(action, out var entry) && entry.OnObject;

    public static AuthorizationDecision Authorize(AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var principal = request.Principal;
        var policyRequest = new PolicyRequest(principal, request.Action, request.Resource, request.Context);
        var ownerAccount = request.BucketOwnerAccountId;
        var sameAccount = ownerAccount is not null && principal.AccountId is not null && string.Equals(principal.AccountId, ownerAccount, StringComparison.Ordinal);

        // 1. Explicit denies.
        var identity = principal.Kind == PrincipalKind.User && request.IdentityPolicy is not null
            ? PolicyEvaluator.Evaluate(request.IdentityPolicy, policyRequest)
            : PolicyEvaluation.NotApplicable;
        if (identity.IsDeny)
        {
            return AuthorizationDecision.Deny(AuthorizationSource.IdentityPolicy, identity.Statement, $"explicit deny in the identity policy of {principal.Arn}, statement {identity.Statement!.Label}");
        }

        var bucket = request.BucketPolicy is not null ? PolicyEvaluator.Evaluate(request.BucketPolicy, policyRequest) : PolicyEvaluation.NotApplicable;
        if (bucket.IsDeny && !(sameAccount && principal.Kind == PrincipalKind.AccountRoot && PolicyManagement.Contains(request.Action)))
        {
            return AuthorizationDecision.Deny(AuthorizationSource.BucketPolicy, bucket.Statement, $"explicit deny in the bucket policy, statement {bucket.Statement!.Label}");
        }

        // 2. What the bucket side allows.
        var bucketAllow = bucket.IsAllow;
        if (bucketAllow && request.PublicAccessBlock.RestrictPublicBuckets && request.BucketPolicy!.IsPublic && !sameAccount && principal.Kind != PrincipalKind.Service)
        {
            bucketAllow = false;
        }

        var acl = AclGrant(request);

        // 3. Combine.
        var identityAllows = principal.Kind == PrincipalKind.AccountRoot || identity.IsAllow;
        if (sameAccount)
        {
            if (principal.Kind == PrincipalKind.AccountRoot)
            {
                return AuthorizationDecision.Allow(AuthorizationSource.BucketOwner, null, "the bucket owner's root user");
            }

            if (identity.IsAllow)
            {
                return AuthorizationDecision.Allow(AuthorizationSource.IdentityPolicy, identity.Statement, $"identity policy statement {identity.Statement!.Label}");
            }

            if (bucketAllow && bucket.Match == PrincipalMatch.Direct)
            {
                return AuthorizationDecision.Allow(AuthorizationSource.BucketPolicy, bucket.Statement, $"bucket policy statement {bucket.Statement!.Label}");
            }

            if (acl == PrincipalMatch.Direct)
            {
                return AuthorizationDecision.Allow(AuthorizationSource.Acl, null, "ACL grant");
            }

            return AuthorizationDecision.Deny(AuthorizationSource.None, null, $"{principal.Arn}: no identity policy statement, bucket policy statement naming the user, or ACL grant allows {request.Action}");
        }

        if (!identityAllows && principal.Kind == PrincipalKind.User)
        {
            return AuthorizationDecision.Deny(AuthorizationSource.None, null, $"{principal.Arn}: its identity policy does not allow {request.Action} (a cross-account request needs both sides)");
        }

        if (ownerAccount is null)
        {
            // No bucket to speak for the request (ListBuckets, CreateBucket): the caller's own side decides.
            return principal.Kind switch
            {
                PrincipalKind.AccountRoot => AuthorizationDecision.Allow(AuthorizationSource.BucketOwner, null, "an account's root user"),
                PrincipalKind.User => AuthorizationDecision.Allow(AuthorizationSource.IdentityPolicy, identity.Statement, $"identity policy statement {identity.Statement!.Label}"),
                _ => AuthorizationDecision.Deny(AuthorizationSource.None, null, "anonymous requests cannot do this"),
            };
        }

        if (bucketAllow)
        {
            return AuthorizationDecision.Allow(AuthorizationSource.BucketPolicy, bucket.Statement, $"bucket policy statement {bucket.Statement!.Label}");
        }

        if (acl != PrincipalMatch.None)
        {
            return AuthorizationDecision.Allow(AuthorizationSource.Acl, null, "ACL grant");
        }

        var who = principal.Kind switch
        {
            PrincipalKind.Anonymous => "anonymous caller",
            PrincipalKind.Service => principal.ServiceName,
            _ => principal.Arn,
        };
        return AuthorizationDecision.Deny(
            bucket.IsAllow ? AuthorizationSource.BucketPolicy : AuthorizationSource.None,
            null,
            bucket.IsAllow
                ? $"{who}: bucket policy statement {bucket.Statement!.Label} is public and RestrictPublicBuckets is on"
                : $"{who}: no bucket policy statement or ACL grant allows {request.Action} on {request.Resource}");
    }

    private static PrincipalMatch AclGrant(AuthorizationRequest request)
    {
        if (request.Ownership == ObjectOwnership.BucketOwnerEnforced || !AclActions.TryGetValue(request.Action, out var entry))
        {
            return PrincipalMatch.None;
        }

        var acl = entry.OnObject ? request.ObjectAcl : request.BucketAcl;
        return acl?.Grant(request.Principal, entry.Permission, request.PublicAccessBlock.IgnorePublicAcls) ?? PrincipalMatch.None;
    }
}
