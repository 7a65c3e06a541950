using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Objects;

public static class PutObjectTagging
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var tags = await ObjectTagging.ReadRequestAsync(context);
        await context.Store.PutObjectTagsAsync(context.BucketName, context.Key, tags, context.Aborted);
        await S3Responses.WriteEmptyAsync(context);
    }
}
