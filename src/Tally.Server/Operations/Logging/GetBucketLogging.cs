using Microsoft.Extensions.DependencyInjection;
using Tally.AccessLogs.Configuration;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Logging;

/// <summary>GET /bucket?logging: what was set, or an empty BucketLoggingStatus (200, not 404; spec §9.13).</summary>
public static class GetBucketLogging
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var registry = context.Http.RequestServices.GetRequiredService<LoggingRegistry>();
        var configuration = await registry.ReadAsync(context.BucketName, context.Aborted);
        await S3Responses.WriteXmlAsync(context, BucketLoggingStatusXml.ToXml(configuration));
    }
}
