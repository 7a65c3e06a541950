using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Objects;

public static class DeleteObject
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var deleted = await context.Store.DeleteObjectAsync(context.BucketName, context.Key, context.Aborted);
        context.Capture.ObjectSize = deleted?.Size;
        await S3Responses.WriteEmptyAsync(context, 204);
    }
}
