using System.Collections.Frozen;
using Tally.Core.Errors;

namespace Tally.S3.Operations;

/// <summary>THE table of S3 operations (DESIGN §2, STYLE §2.3).</summary>
public static class S3Operations
{
    private const string Get = "GET";
    private const string Put = "PUT";
    private const string Post = "POST";
    private const string Delete = "DELETE";
    private const string Head = "HEAD";
    private const string CopySource = "x-amz-copy-source";

    public static readonly S3Operation ListBuckets = new("ListBuckets", Get, S3Target.Service, null, "s3:ListAllMyBuckets", "REST.GET.SERVICE");

    public static readonly S3Operation CreateBucket = new("CreateBucket", Put, S3Target.Bucket, null, "s3:CreateBucket", "REST.PUT.BUCKET");
    public static readonly S3Operation DeleteBucket = new("DeleteBucket", Delete, S3Target.Bucket, null, "s3:DeleteBucket", "REST.DELETE.BUCKET");
    public static readonly S3Operation HeadBucket = new("HeadBucket", Head, S3Target.Bucket, null, "s3:ListBucket", "REST.HEAD.BUCKET");
    public static readonly S3Operation ListObjects = new("ListObjects", Get, S3Target.Bucket, null, "s3:ListBucket", "REST.GET.BUCKET");
    public static readonly S3Operation ListObjectsV2 = new("ListObjectsV2", Get, S3Target.Bucket, "list-type", "s3:ListBucket", "REST.GET.BUCKET");
    public static readonly S3Operation ListObjectVersions = new("ListObjectVersions", Get, S3Target.Bucket, "versions", "s3:ListBucketVersions", "REST.GET.BUCKETVERSIONS");
    public static readonly S3Operation GetBucketLocation = new("GetBucketLocation", Get, S3Target.Bucket, "location", "s3:GetBucketLocation", "REST.GET.LOCATION");
    public static readonly S3Operation DeleteObjects = new("DeleteObjects", Post, S3Target.Bucket, "delete", "s3:DeleteObject", "REST.POST.MULTI_OBJECT_DELETE");
    public static readonly S3Operation ListMultipartUploads = new("ListMultipartUploads", Get, S3Target.Bucket, "uploads", "s3:ListBucketMultipartUploads", "REST.GET.UPLOADS");

    public static readonly S3Operation GetBucketLogging = new("GetBucketLogging", Get, S3Target.Bucket, "logging", "s3:GetBucketLogging", "REST.GET.LOGGING_STATUS");
    public static readonly S3Operation PutBucketLogging = new("PutBucketLogging", Put, S3Target.Bucket, "logging", "s3:PutBucketLogging", "REST.PUT.LOGGING_STATUS");
    public static readonly S3Operation FlushBucketLogging = new("FlushBucketLogging", Post, S3Target.Bucket, "logging", "s3:PutBucketLogging", "REST.POST.LOGGING_STATUS");

    public static readonly S3Operation GetBucketPolicy = new("GetBucketPolicy", Get, S3Target.Bucket, "policy", "s3:GetBucketPolicy", "REST.GET.BUCKETPOLICY");
    public static readonly S3Operation PutBucketPolicy = new("PutBucketPolicy", Put, S3Target.Bucket, "policy", "s3:PutBucketPolicy", "REST.PUT.BUCKETPOLICY");
    public static readonly S3Operation DeleteBucketPolicy = new("DeleteBucketPolicy", Delete, S3Target.Bucket, "policy", "s3:DeleteBucketPolicy", "REST.DELETE.BUCKETPOLICY");
    public static readonly S3Operation GetBucketPolicyStatus = new("GetBucketPolicyStatus", Get, S3Target.Bucket, "policyStatus", "s3:GetBucketPolicyStatus", "REST.GET.POLICY_STATUS");
    public static readonly S3Operation GetBucketAcl = new("GetBucketAcl", Get, S3Target.Bucket, "acl", "s3:GetBucketAcl", "REST.GET.ACL");
    public static readonly S3Operation PutBucketAcl = new("PutBucketAcl", Put, S3Target.Bucket, "acl", "s3:PutBucketAcl", "REST.PUT.ACL");
    public static readonly S3Operation GetBucketOwnershipControls = new("GetBucketOwnershipControls", Get, S3Target.Bucket, "ownershipControls", "s3:GetBucketOwnershipControls", "REST.GET.OWNERSHIP_CONTROLS");
    public static readonly S3Operation PutBucketOwnershipControls = new("PutBucketOwnershipControls", Put, S3Target.Bucket, "ownershipControls", "s3:PutBucketOwnershipControls", "REST.PUT.OWNERSHIP_CONTROLS");
    public static readonly S3Operation DeleteBucketOwnershipControls = new("DeleteBucketOwnershipControls", Delete, S3Target.Bucket, "ownershipControls", "s3:PutBucketOwnershipControls", "REST.DELETE.OWNERSHIP_CONTROLS");
    public static readonly S3Operation GetPublicAccessBlock = new("GetPublicAccessBlock", Get, S3Target.Bucket, "publicAccessBlock", "s3:GetBucketPublicAccessBlock", "REST.GET.PUBLIC_ACCESS_BLOCK");
    public static readonly S3Operation PutPublicAccessBlock = new("PutPublicAccessBlock", Put, S3Target.Bucket, "publicAccessBlock", "s3:PutBucketPublicAccessBlock", "REST.PUT.PUBLIC_ACCESS_BLOCK");
    public static readonly S3Operation DeletePublicAccessBlock = new("DeletePublicAccessBlock", Delete, S3Target.Bucket, "publicAccessBlock", "s3:PutBucketPublicAccessBlock", "REST.DELETE.PUBLIC_ACCESS_BLOCK");

    public static readonly S3Operation GetBucketVersioning = new("GetBucketVersioning", Get, S3Target.Bucket, "versioning", "s3:GetBucketVersioning", "REST.GET.VERSIONING");
    public static readonly S3Operation PutBucketVersioning = new("PutBucketVersioning", Put, S3Target.Bucket, "versioning", "s3:PutBucketVersioning", "REST.PUT.VERSIONING");
    public static readonly S3Operation GetBucketLifecycleConfiguration = new("GetBucketLifecycleConfiguration", Get, S3Target.Bucket, "lifecycle", "s3:GetLifecycleConfiguration", "REST.GET.LIFECYCLE");
    public static readonly S3Operation PutBucketLifecycleConfiguration = new("PutBucketLifecycleConfiguration", Put, S3Target.Bucket, "lifecycle", "s3:PutLifecycleConfiguration", "REST.PUT.LIFECYCLE");
    public static readonly S3Operation DeleteBucketLifecycle = new("DeleteBucketLifecycle", Delete, S3Target.Bucket, "lifecycle", "s3:PutLifecycleConfiguration", "REST.DELETE.LIFECYCLE");
    public static readonly S3Operation GetBucketTagging = new("GetBucketTagging", Get, S3Target.Bucket, "tagging", "s3:GetBucketTagging", "REST.GET.TAGGING");
    public static readonly S3Operation PutBucketTagging = new("PutBucketTagging", Put, S3Target.Bucket, "tagging", "s3:PutBucketTagging", "REST.PUT.TAGGING");
    public static readonly S3Operation DeleteBucketTagging = new("DeleteBucketTagging", Delete, S3Target.Bucket, "tagging", "s3:PutBucketTagging", "REST.DELETE.TAGGING");

    public static readonly S3Operation GetObject = new("GetObject", Get, S3Target.Object, null, "s3:GetObject", "REST.GET.OBJECT");
    public static readonly S3Operation HeadObject = new("HeadObject", Head, S3Target.Object, null, "s3:GetObject", "REST.HEAD.OBJECT");
    public static readonly S3Operation PutObject = new("PutObject", Put, S3Target.Object, null, "s3:PutObject", "REST.PUT.OBJECT");
    public static readonly S3Operation CopyObject = new("CopyObject", Put, S3Target.Object, null, "s3:PutObject", "REST.COPY.OBJECT", CopySource);
    public static readonly S3Operation DeleteObject = new("DeleteObject", Delete, S3Target.Object, null, "s3:DeleteObject", "REST.DELETE.OBJECT");
    public static readonly S3Operation GetObjectTagging = new("GetObjectTagging", Get, S3Target.Object, "tagging", "s3:GetObjectTagging", "REST.GET.OBJECT_TAGGING");
    public static readonly S3Operation PutObjectTagging = new("PutObjectTagging", Put, S3Target.Object, "tagging", "s3:PutObjectTagging", "REST.PUT.OBJECT_TAGGING");
    public static readonly S3Operation DeleteObjectTagging = new("DeleteObjectTagging", Delete, S3Target.Object, "tagging", "s3:DeleteObjectTagging", "REST.DELETE.OBJECT_TAGGING");
    public static readonly S3Operation GetObjectAcl = new("GetObjectAcl", Get, S3Target.Object, "acl", "s3:GetObjectAcl", "REST.GET.ACL");
    public static readonly S3Operation PutObjectAcl = new("PutObjectAcl", Put, S3Target.Object, "acl", "s3:PutObjectAcl", "REST.PUT.ACL");
    public static readonly S3Operation RestoreObject = new("RestoreObject", Post, S3Target.Object, "restore", "s3:RestoreObject", "REST.POST.RESTORE");

    public static readonly S3Operation CreateMultipartUpload = new("CreateMultipartUpload", Post, S3Target.Object, "uploads", "s3:PutObject", "REST.POST.UPLOADS");
    public static readonly S3Operation UploadPart = new("UploadPart", Put, S3Target.Object, "uploadId", "s3:PutObject", "REST.PUT.PART");
    public static readonly S3Operation UploadPartCopy = new("UploadPartCopy", Put, S3Target.Object, "uploadId", "s3:PutObject", "REST.COPY.PART", CopySource);
    public static readonly S3Operation CompleteMultipartUpload = new("CompleteMultipartUpload", Post, S3Target.Object, "uploadId", "s3:PutObject", "REST.POST.UPLOAD");
    public static readonly S3Operation AbortMultipartUpload = new("AbortMultipartUpload", Delete, S3Target.Object, "uploadId", "s3:AbortMultipartUpload", "REST.DELETE.UPLOAD");
    public static readonly S3Operation ListParts = new("ListParts", Get, S3Target.Object, "uploadId", "s3:ListMultipartUploadParts", "REST.GET.UPLOAD");

    /// <summary>Every row, in declaration order.</summary>
    public static readonly IReadOnlyList<S3Operation> All =
    [
        ListBuckets,
        CreateBucket, DeleteBucket, HeadBucket, ListObjects, ListObjectsV2, ListObjectVersions, GetBucketLocation, DeleteObjects, ListMultipartUploads,
        GetBucketLogging, PutBucketLogging, FlushBucketLogging,
        GetBucketPolicy, PutBucketPolicy, DeleteBucketPolicy, GetBucketPolicyStatus, GetBucketAcl, PutBucketAcl,
        GetBucketOwnershipControls, PutBucketOwnershipControls, DeleteBucketOwnershipControls,
        GetPublicAccessBlock, PutPublicAccessBlock, DeletePublicAccessBlock,
        GetBucketVersioning, PutBucketVersioning, GetBucketLifecycleConfiguration, PutBucketLifecycleConfiguration, DeleteBucketLifecycle,
        GetBucketTagging, PutBucketTagging, DeleteBucketTagging,
        GetObject, HeadObject, PutObject, CopyObject, DeleteObject, GetObjectTagging, PutObjectTagging, DeleteObjectTagging,
        GetObjectAcl, PutObjectAcl, RestoreObject,
        CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload, ListParts,
    ];

    /// <summary>
    /// Sub-resources S3 knows but Tally does not serve: a request naming one gets NotImplemented,
    /// never a silent fallback to the plain bucket/object operation.
    /// </summary>
    public static readonly FrozenSet<string> UnsupportedSubResources = FrozenSet.ToFrozenSet(
    [
        "accelerate", "analytics", "cors", "encryption", "intelligent-tiering", "inventory", "metrics", "notification",
        "object-lock", "replication", "requestPayment", "website", "legal-hold", "retention", "torrent", "select",
        "attributes", "metadataTable", "session", "renameObject",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> KnownSubResources =
        All.Where(o => o.SubResource is not null).Select(o => o.SubResource!).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Finds the operation for a request. <paramref name="hasQueryKey"/> says whether a query
    /// parameter is present; <paramref name="hasHeader"/> whether a header is present.
    /// Throws MethodNotAllowed when the target exists but not for this method, NotImplemented for
    /// a sub-resource Tally does not serve.
    /// </summary>
    public static S3Operation Resolve(string method, S3Target target, Func<string, bool> hasQueryKey, Func<string, bool> hasHeader)
    {
        foreach (var name in UnsupportedSubResources)
        {
            if (hasQueryKey(name))
            {
                throw new S3Exception(S3Errors.NotImplemented, $"The '{name}' sub-resource is not implemented by Tally.");
            }
        }

        string? subResource = null;
        foreach (var name in KnownSubResources)
        {
            if (hasQueryKey(name) && IsSubResourceFor(name, target))
            {
                subResource = name;
                break;
            }
        }

        S3Operation? fallback = null;
        foreach (var op in All)
        {
            if (op.Target != target || op.SubResource != subResource)
            {
                continue;
            }

            if (!string.Equals(op.Method, method, StringComparison.Ordinal))
            {
                continue;
            }

            if (op.RequiredHeader is null)
            {
                fallback ??= op;
            }
            else if (hasHeader(op.RequiredHeader))
            {
                return op;
            }
        }

        if (fallback is not null)
        {
            return fallback;
        }

        throw new S3Exception(S3Errors.MethodNotAllowed);
    }

    private static bool IsSubResourceFor(string subResource, S3Target target) =>
        All.Any(o => o.Target == target && o.SubResource == subResource);
}
