using System.Xml.Linq;
using Tally.S3.Xml;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Service;

public static class ListBuckets
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var caller = context.Caller;
        var buckets = await context.Store.ListBucketsAsync(context.Aborted);
        var list = new XElement(S3Xml.N("Buckets"));
        foreach (var bucket in buckets.Where(b => b.OwnerAccountId == caller.AccountId))
        {
            list.Add(new XElement(S3Xml.N("Bucket"),
                new XElement(S3Xml.N("Name"), bucket.Name),
                new XElement(S3Xml.N("CreationDate"), S3Xml.Timestamp(bucket.CreatedAt)),
                new XElement(S3Xml.N("BucketRegion"), bucket.Region)));
        }

        await S3Responses.WriteXmlAsync(context, new XElement(S3Xml.N("ListAllMyBucketsResult"), S3Responses.Owner(caller.CanonicalUserId), list));
    }
}
