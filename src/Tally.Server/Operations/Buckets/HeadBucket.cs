using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Buckets;

public static class HeadBucket
{
    public static Task HandleAsync(S3RequestContext context)
    {
        context.Response.Headers["x-amz-bucket-region"] = context.Bucket.Region;
        return S3Responses.WriteEmptyAsync(context);
    }
}
