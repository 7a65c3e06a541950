using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Buckets;

public static class DeleteBucket
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        await context.Store.DeleteBucketAsync(context.BucketName, context.Aborted);
        await S3Responses.WriteEmptyAsync(context, 204);
    }
}
