using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>DELETE /bucket?ownershipControls: the bucket has no rule any more and behaves as ObjectWriter (ACLs enabled), as in S3.</summary>
public static class DeleteBucketOwnershipControls
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        await context.Settings.PutAsync(context.BucketName, BucketAccess.OwnershipKind, BucketAccess.OwnershipRemovedDocument, context.Aborted);
        await S3Responses.WriteEmptyAsync(context, 204);
    }
}
