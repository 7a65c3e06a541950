using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Multipart;

public static class AbortMultipartUpload
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        await context.Store.AbortMultipartUploadAsync(context.BucketName, context.Key, MultipartRequest.UploadId(context), context.Aborted);
        await S3Responses.WriteEmptyAsync(context, 204);
    }
}
