using Microsoft.Extensions.DependencyInjection;
using Tally.Core.Errors;
using Tally.Lifecycle.Restore;
using Tally.S3.Xml;
using Tally.Server.Pipeline;
using Tally.Storage;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Objects;

/// <summary>
/// POST /bucket/key?restore (spec §6.6): 202 when a restore starts, 409 RestoreAlreadyInProgress
/// while it runs, 200 when the object is restored already (its copy then lives Days from now).
/// The copy becomes readable after the delay of the request's tier for the object's storage
/// class (<c>--restore-delays</c>); Expedited from DEEP_ARCHIVE is refused.
/// </summary>
public static class RestoreObject
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var versionId = ObjectVersions.Requested(context);
        var body = await RequestBody.ReadAllAsync(context, S3Xml.MaxRequestBytes);
        var request = RestoreRequestXml.Parse(body);
        var services = context.Http.RequestServices;
        var planner = services.GetRequiredService<RestorePlanner>();
        var outcome = await services.GetRequiredService<ILifecycleStore>().RestoreObjectAsync(
            context.BucketName,
            context.Key,
            versionId,
            storageClass => planner.Plan(request, storageClass),
            context.Aborted);
        await S3Responses.WriteEmptyAsync(context, outcome switch
        {
            RestoreOutcome.Started or RestoreOutcome.Upgraded => 202,
            RestoreOutcome.Extended => 200,
            _ => throw new S3Exception(S3Errors.RestoreAlreadyInProgress),
        });
    }
}
