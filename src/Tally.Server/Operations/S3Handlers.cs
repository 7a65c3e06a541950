using System.Collections.Frozen;
using Tally.Core.Errors;
using Tally.S3.Operations;
using Tally.Server.Operations.Access;
using Tally.Server.Operations.Buckets;
using Tally.Server.Operations.Lifecycle;
using Tally.Server.Operations.Logging;
using Tally.Server.Operations.Multipart;
using Tally.Server.Operations.Objects;
using Tally.Server.Operations.Service;
using Tally.Server.Operations.Versioning;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations;

/// <summary>
/// Binds rows of the operation table to their handlers (one file per AWS API). A row without a
/// handler answers NotImplemented, a deliberate S3 answer rather than a crash.
/// </summary>
public static class S3Handlers
{
    private static readonly FrozenDictionary<S3Operation, Func<S3RequestContext, Task>> Handlers =
        new Dictionary<S3Operation, Func<S3RequestContext, Task>>
        {
            [S3Operations.ListBuckets] = ListBuckets.HandleAsync,
            [S3Operations.CreateBucket] = CreateBucket.HandleAsync,
            [S3Operations.DeleteBucket] = DeleteBucket.HandleAsync,
            [S3Operations.HeadBucket] = HeadBucket.HandleAsync,
            [S3Operations.GetBucketLocation] = GetBucketLocation.HandleAsync,
            [S3Operations.ListObjects] = ListObjects.HandleAsync,
            [S3Operations.ListObjectsV2] = ListObjectsV2.HandleAsync,
            [S3Operations.PutObject] = PutObject.HandleAsync,
            [S3Operations.GetObject] = GetObject.HandleAsync,
            [S3Operations.HeadObject] = HeadObject.HandleAsync,
            [S3Operations.DeleteObject] = DeleteObject.HandleAsync,
            [S3Operations.CopyObject] = CopyObject.HandleAsync,
            [S3Operations.DeleteObjects] = DeleteObjects.HandleAsync,
            [S3Operations.GetObjectTagging] = GetObjectTagging.HandleAsync,
            [S3Operations.PutObjectTagging] = PutObjectTagging.HandleAsync,
            [S3Operations.DeleteObjectTagging] = DeleteObjectTagging.HandleAsync,
            [S3Operations.CreateMultipartUpload] = CreateMultipartUpload.HandleAsync,
            [S3Operations.UploadPart] = UploadPart.HandleAsync,
            [S3Operations.UploadPartCopy] = UploadPartCopy.HandleAsync,
            [S3Operations.CompleteMultipartUpload] = CompleteMultipartUpload.HandleAsync,
            [S3Operations.AbortMultipartUpload] = AbortMultipartUpload.HandleAsync,
            [S3Operations.ListParts] = ListParts.HandleAsync,
            [S3Operations.ListMultipartUploads] = ListMultipartUploads.HandleAsync,
            [S3Operations.PutBucketPolicy] = PutBucketPolicy.HandleAsync,
            [S3Operations.GetBucketPolicy] = GetBucketPolicy.HandleAsync,
            [S3Operations.DeleteBucketPolicy] = DeleteBucketPolicy.HandleAsync,
            [S3Operations.GetBucketPolicyStatus] = GetBucketPolicyStatus.HandleAsync,
            [S3Operations.GetBucketAcl] = GetBucketAcl.HandleAsync,
            [S3Operations.PutBucketAcl] = PutBucketAcl.HandleAsync,
            [S3Operations.GetObjectAcl] = GetObjectAcl.HandleAsync,
            [S3Operations.PutObjectAcl] = PutObjectAcl.HandleAsync,
            [S3Operations.GetBucketOwnershipControls] = GetBucketOwnershipControls.HandleAsync,
            [S3Operations.PutBucketOwnershipControls] = PutBucketOwnershipControls.HandleAsync,
            [S3Operations.DeleteBucketOwnershipControls] = DeleteBucketOwnershipControls.HandleAsync,
            [S3Operations.GetPublicAccessBlock] = GetPublicAccessBlock.HandleAsync,
            [S3Operations.PutPublicAccessBlock] = PutPublicAccessBlock.HandleAsync,
            [S3Operations.DeletePublicAccessBlock] = DeletePublicAccessBlock.HandleAsync,
            [S3Operations.PutBucketLifecycleConfiguration] = PutBucketLifecycleConfiguration.HandleAsync,
            [S3Operations.GetBucketLifecycleConfiguration] = GetBucketLifecycleConfiguration.HandleAsync,
            [S3Operations.DeleteBucketLifecycle] = DeleteBucketLifecycle.HandleAsync,
            [S3Operations.RestoreObject] = RestoreObject.HandleAsync,
            [S3Operations.ListObjectVersions] = ListObjectVersions.HandleAsync,
            [S3Operations.GetBucketVersioning] = GetBucketVersioning.HandleAsync,
            [S3Operations.PutBucketVersioning] = PutBucketVersioning.HandleAsync,
            [S3Operations.GetBucketLogging] = GetBucketLogging.HandleAsync,
            [S3Operations.PutBucketLogging] = PutBucketLogging.HandleAsync,
            [S3Operations.FlushBucketLogging] = FlushBucketLogging.HandleAsync,
        }.ToFrozenDictionary();

    public static bool IsImplemented(S3Operation operation) => Handlers.ContainsKey(operation);

    public static Func<S3RequestContext, Task> For(S3Operation operation) =>
        Handlers.TryGetValue(operation, out var handler) ? handler : NotImplementedAsync;

    private static Task NotImplementedAsync(S3RequestContext context) =>
        throw new S3Exception(S3Errors.NotImplemented, $"{context.Operation.Name} is not implemented by Tally.");
}
