using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Tally.AccessLogs.Delivery;
using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Logging;

/// <summary>
/// POST /bucket?logging: deliver everything pending for the bucket now and name the objects written
/// (Ceph RGW's flush extension, <c>PostBucketLoggingOutput/FlushedLoggingObject</c>), so test suites
/// need not wait for a roll. For the bucket owner's account only.
/// </summary>
public static class FlushBucketLogging
{
    /// <summary>How long a flush waits for requests that finished just before it to have their records written.</summary>
    public static readonly TimeSpan BarrierTimeout = TimeSpan.FromSeconds(2);

    public static async Task HandleAsync(S3RequestContext context)
    {
        if (!string.Equals(context.Identity?.AccountId, context.Bucket.OwnerAccountId, StringComparison.Ordinal))
        {
            throw new S3Exception(S3Errors.AccessDenied);
        }

        var services = context.Http.RequestServices;
        var self = context.Http.Features.Get<AccessLogCompletion>()?.BarrierId;
        await services.GetRequiredService<CompletionBarrier>().WaitAsync(self, BarrierTimeout, context.Aborted);
        var report = await services.GetRequiredService<LogDeliveryWorker>().FlushAsync(context.BucketName, context.Aborted);
        var root = new XElement(S3Xml.N("PostBucketLoggingOutput"));
        foreach (var delivered in report.Delivered)
        {
            root.Add(new XElement(S3Xml.N("FlushedLoggingObject"), delivered.Key));
        }

        if (report.Delivered.Count == 0)
        {
            root.Add(new XElement(S3Xml.N("FlushedLoggingObject"), string.Empty));
        }

        await S3Responses.WriteXmlAsync(context, root);
    }
}
