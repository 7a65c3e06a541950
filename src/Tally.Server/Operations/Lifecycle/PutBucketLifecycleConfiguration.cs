using Microsoft.Extensions.DependencyInjection;
using Tally.Lifecycle.Configuration;
using Tally.S3.Xml;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Lifecycle;

/// <summary>
/// PUT /bucket?lifecycle: replaces the whole configuration (spec §6.1) after AWS's validation
/// (§6.5); a refused configuration changes nothing. The body checksum is required (§6.1).
/// </summary>
public static class PutBucketLifecycleConfiguration
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var body = await RequestBody.ReadAllAsync(context, S3Xml.MaxRequestBytes, checksumRequired: true);
        var rules = LifecycleConfigurationXml.Parse(body, context.Header(LifecycleResponseHeaders.MinimumObjectSizeHeader));
        await context.Http.RequestServices.GetRequiredService<LifecycleSettings>().PutAsync(context.BucketName, rules, context.Aborted);
        context.Response.Headers[LifecycleResponseHeaders.MinimumObjectSizeHeader] = rules.TransitionDefaultMinimumObjectSize;
        await S3Responses.WriteEmptyAsync(context);
    }
}
