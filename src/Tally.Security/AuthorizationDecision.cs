using Tally.Security.Acls;
using Tally.Security.Policies;

namespace Tally.Security;

/// <summary>What allowed or denied a request.</summary>
public enum AuthorizationSource
{
    /// <summary>The root user of the bucket owner's account (always allowed, unless a Deny says otherwise).</summary>
    BucketOwner,

    /// <summary>A statement of the caller's identity policy.</summary>
    IdentityPolicy,

    /// <summary>A statement of the bucket policy.</summary>
    BucketPolicy,

    /// <summary>An ACL grant (the access log's aclRequired = Yes).</summary>
    Acl,

    /// <summary>Nothing allowed it (an implicit deny).</summary>
    None,
}

/// <summary>
/// The outcome of <see cref="Authorizer.Authorize"/>: allowed or not, by what, and the facts the
/// access log and the server's debug log need. <see cref="Reason"/> is for the server log only:
/// the client gets AWS's bare "Access Denied".
/// </summary>
/// <param name="IsAllowed">Whether the request may proceed.</param>
/// <param name="Source">What decided: the allowing source, or for a denial the policy holding the Deny (None for an implicit deny).</param>
/// <param name="Statement">The deciding statement's label (Sid or Statement[i]) when a policy decided.</param>
/// <param name="Reason">One line for the server's debug log.</param>
public sealed record AuthorizationDecision(bool IsAllowed, AuthorizationSource Source, string? Statement, string Reason)
{
    /// <summary>aclRequired in the access log (spec §8): an ACL grant, not a policy, is what allowed the request.</summary>
    public bool AclRequired => IsAllowed && Source == AuthorizationSource.Acl;

    /// <summary>True for an explicit Deny (as opposed to nothing allowing).</summary>
    public bool IsExplicitDeny => !IsAllowed && Source is AuthorizationSource.IdentityPolicy or AuthorizationSource.BucketPolicy;

    internal static AuthorizationDecision Allow(AuthorizationSource source, PolicyStatement? statement, string reason) =>
        new(true, source, statement?.Label, reason);

    internal static AuthorizationDecision Deny(AuthorizationSource source, PolicyStatement? statement, string reason) =>
        new(false, source, statement?.Label, reason);
}

/// <summary>
/// Everything one authorization decision depends on. The bucket-side documents are the bucket's
/// (null = none stored); <see cref="ObjectAcl"/> is the addressed object's ACL (its stored ACL, or
/// private to its owner) when the action is governed by an object ACL, else null.
/// </summary>
public sealed record AuthorizationRequest
{
    public required RequestPrincipal Principal { get; init; }

    /// <summary>The IAM action, e.g. s3:GetObject (the operation table's IamAction).</summary>
    public required string Action { get; init; }

    /// <summary>arn:aws:s3:::bucket or arn:aws:s3:::bucket/key.</summary>
    public required string Resource { get; init; }

    public required PolicyContext Context { get; init; }

    /// <summary>The bucket owner's account; null for requests that address no bucket (ListBuckets, CreateBucket).</summary>
    public required string? BucketOwnerAccountId { get; init; }

    /// <summary>The caller's identity policy (users only; a user without one may do nothing on its own).</summary>
    public PolicyDocument? IdentityPolicy { get; init; }

    public PolicyDocument? BucketPolicy { get; init; }

    /// <summary>The bucket's ACL; null means the private default (only the owner).</summary>
    public AccessControlList? BucketAcl { get; init; }

    public AccessControlList? ObjectAcl { get; init; }

    public ObjectOwnership Ownership { get; init; } = ObjectOwnership.BucketOwnerEnforced;

    public PublicAccessBlock PublicAccessBlock { get; init; } = PublicAccessBlock.None;
}
