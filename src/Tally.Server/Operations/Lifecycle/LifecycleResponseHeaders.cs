using Microsoft.Extensions.DependencyInjection;
using Tally.Lifecycle.Configuration;
using Tally.Lifecycle.Evaluation;
using Tally.Lifecycle.Restore;
using Tally.Server.Pipeline;
using Tally.Storage;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Lifecycle;

/// <summary>
/// The lifecycle headers of object responses: <c>x-amz-expiration</c> on PUT, GET and HEAD when
/// an Expiration rule applies (spec §6.3), and <c>x-amz-restore</c> on GET and HEAD of an archived
/// object once a restore was requested (spec §6.6).
/// </summary>
public static class LifecycleResponseHeaders
{
    public const string MinimumObjectSizeHeader = "x-amz-transition-default-minimum-object-size";

    public static async Task WriteAsync(S3RequestContext context, ObjectInfo info, bool restore)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(info);
        var services = context.Http.RequestServices;
        var rules = await services.GetRequiredService<LifecycleSettings>().GetAsync(context.BucketName, context.Aborted);
        if (ExpirationHeader.For(rules, info, services.GetRequiredService<LifecycleCalendar>()) is { } expiration)
        {
            context.Response.Headers[ExpirationHeader.Name] = expiration;
        }

        if (restore && StorageClasses.IsArchived(info.StorageClass))
        {
            var status = await services.GetRequiredService<ILifecycleStore>().GetRestoreStatusAsync(context.BucketName, context.Key, info.VersionId, context.Aborted);
            if (services.GetRequiredService<RestorePlanner>().Header(status) is { } value)
            {
                context.Response.Headers[RestorePlanner.HeaderName] = value;
            }
        }
    }
}
