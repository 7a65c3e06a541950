using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>DELETE /bucket?publicAccessBlock: 204, nothing blocked any more.</summary>
public static class DeletePublicAccessBlock
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        await context.Settings.DeleteAsync(context.BucketName, BucketAccess.PublicAccessBlockKind, context.Aborted);
        await S3Responses.WriteEmptyAsync(context, 204);
    }
}
