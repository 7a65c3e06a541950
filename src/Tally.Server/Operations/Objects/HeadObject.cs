using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Objects;

public static class HeadObject
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var info = await context.Store.HeadObjectAsync(context.BucketName, context.Key, context.Aborted);
        var plan = ObjectReadPlan.Prepare(context, info);
        context.Response.StatusCode = plan.Status;
    }
}
