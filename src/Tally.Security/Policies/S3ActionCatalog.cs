using System.Collections.Frozen;

namespace Tally.Security.Policies;

/// <summary>The kind of resource an S3 action is authorised on (AWS Service Authorization Reference).</summary>
[Flags]
public enum S3ResourceKinds
{
    None = 0,

    /// <summary>arn:aws:s3:::bucket</summary>
    Bucket = 1,

    /// <summary>arn:aws:s3:::bucket/key</summary>
    Object = 2,

    /// <summary>No resource (ListAllMyBuckets and account-level actions): Resource "*".</summary>
    Account = 4,
}

/// <summary>
/// The S3 actions a policy may name, each with the resource kind it applies to. Used to validate
/// policies ("Policy has invalid action", "Action does not apply to any resource(s) in
/// statement") and to expand wildcards; the operation table's IAM actions are all listed here
/// (a test checks it).
/// </summary>
public static class S3ActionCatalog
{
    private static readonly string[] ObjectActions =
    [
        "AbortMultipartUpload", "BypassGovernanceRetention", "DeleteObject", "DeleteObjectTagging", "DeleteObjectVersion",
        "DeleteObjectVersionTagging", "GetObject", "GetObjectAcl", "GetObjectAttributes", "GetObjectLegalHold", "GetObjectRetention",
        "GetObjectTagging", "GetObjectTorrent", "GetObjectVersion", "GetObjectVersionAcl", "GetObjectVersionAttributes",
        "GetObjectVersionForReplication", "GetObjectVersionTagging", "GetObjectVersionTorrent", "InitiateReplication",
        "ListMultipartUploadParts", "ObjectOwnerOverrideToBucketOwner", "PutObject", "PutObjectAcl", "PutObjectLegalHold",
        "PutObjectRetention", "PutObjectTagging", "PutObjectVersionAcl", "PutObjectVersionTagging", "ReplicateDelete",
        "ReplicateObject", "ReplicateTags", "RestoreObject",
    ];

    private static readonly string[] BucketActions =
    [
        "CreateBucket", "DeleteBucket", "DeleteBucketPolicy", "DeleteBucketWebsite", "GetAccelerateConfiguration",
        "GetAnalyticsConfiguration", "GetBucketAcl", "GetBucketCORS", "GetBucketLocation", "GetBucketLogging",
        "GetBucketNotification", "GetBucketObjectLockConfiguration", "GetBucketOwnershipControls", "GetBucketPolicy",
        "GetBucketPolicyStatus", "GetBucketPublicAccessBlock", "GetBucketRequestPayment", "GetBucketTagging",
        "GetBucketVersioning", "GetBucketWebsite", "GetEncryptionConfiguration", "GetIntelligentTieringConfiguration",
        "GetInventoryConfiguration", "GetLifecycleConfiguration", "GetMetricsConfiguration", "GetReplicationConfiguration",
        "ListBucket", "ListBucketMultipartUploads", "ListBucketVersions", "PutAccelerateConfiguration",
        "PutAnalyticsConfiguration", "PutBucketAcl", "PutBucketCORS", "PutBucketLogging", "PutBucketNotification",
        "PutBucketObjectLockConfiguration", "PutBucketOwnershipControls", "PutBucketPolicy", "PutBucketPublicAccessBlock",
        "PutBucketRequestPayment", "PutBucketTagging", "PutBucketVersioning", "PutBucketWebsite", "PutEncryptionConfiguration",
        "PutIntelligentTieringConfiguration", "PutInventoryConfiguration", "PutLifecycleConfiguration", "PutMetricsConfiguration",
        "PutReplicationConfiguration",
    ];

    private static readonly string[] AccountActions =
    [
        "ListAllMyBuckets", "GetAccountPublicAccessBlock", "PutAccountPublicAccessBlock", "ListAccessPoints", "ListJobs", "CreateJob",
    ];

    /// <summary>Every action, "s3:Name" → the resource kind it applies to. Keys compare case-insensitively, as IAM's do.</summary>
    public static FrozenDictionary<string, S3ResourceKinds> Actions { get; } =
        ObjectActions.Select(a => (a, S3ResourceKinds.Object))
            .Concat(BucketActions.Select(a => (a, S3ResourceKinds.Bucket)))
            .Concat(AccountActions.Select(a => (a, S3ResourceKinds.Account)))
            .ToFrozenDictionary(p => "s3:" + p.a, p => p.Item2, StringComparer.OrdinalIgnoreCase);

    /// <summary>The resource kinds of the actions an Action pattern names (None when it names none).</summary>
    internal static S3ResourceKinds KindsMatching(WildcardPattern pattern)
    {
        if (!pattern.HasWildcards)
        {
            return Actions.TryGetValue(pattern.Text, out var kind) ? kind : S3ResourceKinds.None;
        }

        var kinds = S3ResourceKinds.None;
        foreach (var (action, kind) in Actions)
        {
            if (pattern.IsMatch(action))
            {
                kinds |= kind;
            }
        }

        return kinds;
    }
}
