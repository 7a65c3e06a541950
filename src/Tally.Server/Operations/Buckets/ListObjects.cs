using System.Xml.Linq;
using Tally.S3.Xml;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Buckets;

public static class ListObjects
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var request = ListingRequest.From(context);
        var marker = context.Query("marker");
        var page = await context.Store.ListObjectsAsync(
            context.BucketName,
            new ListObjectsQuery(request.Prefix, request.Delimiter, string.IsNullOrEmpty(marker) ? null : marker, request.MaxKeys),
            context.Aborted);

        var root = new XElement(S3Xml.N("ListBucketResult"),
            new XElement(S3Xml.N("Name"), context.BucketName),
            request.Element("Prefix", request.Prefix),
            request.Element("Marker", marker ?? string.Empty),
            // v1 only names NextMarker when a delimiter is used; otherwise clients use the last key.
            page.IsTruncated && request.Delimiter is not null ? request.Element("NextMarker", page.NextMarker) : null,
            new XElement(S3Xml.N("MaxKeys"), request.MaxKeys),
            request.Common(),
            new XElement(S3Xml.N("IsTruncated"), page.IsTruncated ? "true" : "false"),
            request.Contents(page, withOwner: true),
            request.CommonPrefixes(page));
        await S3Responses.WriteXmlAsync(context, root);
    }
}
