using Microsoft.Extensions.DependencyInjection;
using Tally.AccessLogs.Configuration;
using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Logging;

/// <summary>
/// PUT /bucket?logging: enable, change or (empty status) disable logging, after the guard rails
/// (spec §4.4, DESIGN §4). Only the bucket owner's account may set it (spec §4.3).
/// </summary>
public static class PutBucketLogging
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var source = context.Bucket;
        if (!string.Equals(context.Identity?.AccountId, source.OwnerAccountId, StringComparison.Ordinal))
        {
            throw new S3Exception(S3Errors.AccessDenied);
        }

        // spec §4.1: the model marks the body checksum as required.
        var body = await RequestBody.ReadAllAsync(context, S3Xml.MaxRequestBytes, checksumRequired: true);
        var configuration = BucketLoggingStatusXml.Parse(body);
        var services = context.Http.RequestServices;
        var guardRails = services.GetRequiredService<LoggingGuardRails>();
        await services.GetRequiredService<LoggingRegistry>().SetAsync(
            source,
            configuration,
            (candidate, ct) => guardRails.ValidateAsync(source, candidate, ct),
            context.Aborted);
        await S3Responses.WriteEmptyAsync(context);
    }
}
