using Microsoft.Extensions.DependencyInjection;
using Tally.Lifecycle.Configuration;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Lifecycle;

/// <summary>DELETE /bucket?lifecycle: 204, whether or not a configuration existed (spec §6.1).</summary>
public static class DeleteBucketLifecycle
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        await context.Http.RequestServices.GetRequiredService<LifecycleSettings>().DeleteAsync(context.BucketName, context.Aborted);
        await S3Responses.WriteEmptyAsync(context, 204);
    }
}
