using Tally.Security.Acls;
using Tally.Security.Policies;

namespace Tally.Server.Operations.Access;

/// <summary>
/// A bucket's access documents as stored in its settings (kinds: policy, acl, ownership,
/// public-access-block). Absent ownership means BucketOwnerEnforced (S3's default for new
/// buckets); <see cref="OwnershipRemoved"/> is DeleteBucketOwnershipControls' state (ACLs enabled,
/// GetBucketOwnershipControls answers OwnershipControlsNotFoundError).
/// </summary>
public sealed record BucketAccess(
    PolicyDocument? Policy,
    AccessControlList? Acl,
    ObjectOwnership Ownership,
    bool OwnershipRemoved,
    PublicAccessBlock? PublicAccessBlock)
{
    public const string PolicyKind = "policy";
    public const string AclKind = "acl";
    public const string OwnershipKind = "ownership";
    public const string PublicAccessBlockKind = "public-access-block";

    /// <summary>The ownership document DeleteBucketOwnershipControls leaves.</summary>
    public const string OwnershipRemovedDocument = "none";

    public bool AclsEnabled => Ownership != ObjectOwnership.BucketOwnerEnforced;

    public PublicAccessBlock Block => PublicAccessBlock ?? Security.Policies.PublicAccessBlock.None;

    /// <summary>The bucket's effective ACL: with ACLs disabled, or none stored, the owner's private ACL.</summary>
    public AccessControlList EffectiveAcl(string ownerCanonicalId) =>
        AclsEnabled && Acl is not null ? Acl : AccessControlList.Private(ownerCanonicalId);

    public static ObjectOwnership ParseOwnership(string? document) => document switch
    {
        null or "BucketOwnerEnforced" => ObjectOwnership.BucketOwnerEnforced,
        "BucketOwnerPreferred" => ObjectOwnership.BucketOwnerPreferred,
        _ => ObjectOwnership.ObjectWriter,
    };
}
