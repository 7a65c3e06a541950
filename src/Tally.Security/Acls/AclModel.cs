namespace Tally.Security.Acls;

/// <summary>An ACL permission (acl-overview.html "Permissions that you can grant").</summary>
public enum AclPermission
{
    Read,
    Write,
    ReadAcp,
    WriteAcp,
    FullControl,
}

/// <summary>How a grantee is named in an ACL.</summary>
public enum GranteeType
{
    /// <summary>An account by its canonical user id.</summary>
    CanonicalUser,

    /// <summary>A predefined group by URI (AllUsers, AuthenticatedUsers, LogDelivery).</summary>
    Group,

    /// <summary>An account by e-mail address (AWS resolves it to the canonical user).</summary>
    Email,
}

/// <summary>A grantee: <paramref name="Value"/> is the canonical id, the group URI or the e-mail address.</summary>
public sealed record AclGrantee(GranteeType Type, string Value)
{
    public const string AllUsersUri = "http://acs.amazonaws.com/groups/global/AllUsers";
    public const string AuthenticatedUsersUri = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    public const string LogDeliveryUri = "http://acs.amazonaws.com/groups/s3/LogDelivery";

    public static AclGrantee AllUsers { get; } = new(GranteeType.Group, AllUsersUri);

    public static AclGrantee AuthenticatedUsers { get; } = new(GranteeType.Group, AuthenticatedUsersUri);

    public static AclGrantee LogDelivery { get; } = new(GranteeType.Group, LogDeliveryUri);

    public static AclGrantee CanonicalUser(string canonicalId) => new(GranteeType.CanonicalUser, canonicalId);

    /// <summary>AllUsers or AuthenticatedUsers: a grant to either makes a bucket or object public.</summary>
    public bool IsPublic => Type == GranteeType.Group && Value is AllUsersUri or AuthenticatedUsersUri;
}

/// <summary>One grant of an ACL.</summary>
public sealed record AclGrant(AclGrantee Grantee, AclPermission Permission)
{
    /// <summary>Whether this grant gives <paramref name="needed"/> (FULL_CONTROL gives every permission).</summary>
    public bool Gives(AclPermission needed) => Permission == needed || Permission == AclPermission.FullControl;
}

/// <summary>Object Ownership (about-object-ownership.html). Absent on a bucket means BucketOwnerEnforced, S3's default for new buckets since April 2023.</summary>
public enum ObjectOwnership
{
    /// <summary>ACLs are disabled; the bucket owner owns every object.</summary>
    BucketOwnerEnforced,

    /// <summary>ACLs are enabled; objects written with bucket-owner-full-control belong to the bucket owner.</summary>
    BucketOwnerPreferred,

    /// <summary>ACLs are enabled; the writing account owns an object.</summary>
    ObjectWriter,
}
