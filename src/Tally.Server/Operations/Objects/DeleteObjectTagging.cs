using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Objects;

public static class DeleteObjectTagging
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        await context.Store.PutObjectTagsAsync(context.BucketName, context.Key, new Dictionary<string, string>(), context.Aborted);
        await S3Responses.WriteEmptyAsync(context, 204);
    }
}
