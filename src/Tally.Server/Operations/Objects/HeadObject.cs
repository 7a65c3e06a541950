using Tally.Server.Operations.Lifecycle;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Objects;

public static class HeadObject
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var versionId = ObjectVersions.Requested(context);
        var info = await ObjectVersions.ReadExistingAsync(context, versionId, () => context.Store.HeadObjectAsync(context.BucketName, context.Key, versionId, context.Aborted));
        ObjectVersions.Announce(context, info.VersionId);
        await LifecycleResponseHeaders.WriteAsync(context, info, restore: true);
        var plan = ObjectReadPlan.Prepare(context, info);
        context.Response.StatusCode = plan.Status;
    }
}
