using Microsoft.Extensions.DependencyInjection;
using Tally.Core.Errors;
using Tally.Lifecycle.Configuration;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Lifecycle;

/// <summary>GET /bucket?lifecycle: the rules as put, or 404 NoSuchLifecycleConfiguration (spec §6.1, §9.13).</summary>
public static class GetBucketLifecycleConfiguration
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var rules = await context.Http.RequestServices.GetRequiredService<LifecycleSettings>().GetAsync(context.BucketName, context.Aborted)
            ?? throw S3Exception.With(S3Errors.NoSuchLifecycleConfiguration, null, ("BucketName", context.BucketName));
        context.Response.Headers[LifecycleResponseHeaders.MinimumObjectSizeHeader] = rules.TransitionDefaultMinimumObjectSize;
        await S3Responses.WriteXmlAsync(context, LifecycleConfigurationXml.ToXml(rules));
    }
}
