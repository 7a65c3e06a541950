using System.Xml.Linq;
using Tally.S3.Xml;
using Tally.Server.Operations.Multipart;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Buckets;

public static class ListMultipartUploads
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var listing = ListingRequest.From(context);
        var maxUploads = MultipartRequest.Bounded(context, "max-uploads", 1000, 1000);
        var keyMarker = context.Query("key-marker");
        var uploadIdMarker = context.Query("upload-id-marker");
        var page = await context.Store.ListMultipartUploadsAsync(
            context.BucketName,
            new ListMultipartUploadsQuery(listing.Prefix, listing.Delimiter, NullIfEmpty(keyMarker), NullIfEmpty(uploadIdMarker), maxUploads),
            context.Aborted);
        await S3Responses.WriteXmlAsync(context, new XElement(S3Xml.N("ListMultipartUploadsResult"),
            new XElement(S3Xml.N("Bucket"), context.BucketName),
            listing.Element("KeyMarker", keyMarker),
            new XElement(S3Xml.N("UploadIdMarker"), uploadIdMarker ?? string.Empty),
            listing.Element("NextKeyMarker", page.NextKeyMarker),
            new XElement(S3Xml.N("NextUploadIdMarker"), page.NextUploadIdMarker ?? string.Empty),
            listing.Element("Prefix", listing.Prefix),
            listing.Common(),
            new XElement(S3Xml.N("MaxUploads"), maxUploads),
            new XElement(S3Xml.N("IsTruncated"), page.IsTruncated ? "true" : "false"),
            page.Uploads.Select(u => new XElement(S3Xml.N("Upload"),
                listing.Element("Key", u.Key),
                new XElement(S3Xml.N("UploadId"), u.UploadId),
                ListParts.Initiator(u.Write),
                S3Responses.Owner(u.Write.OwnerCanonicalId),
                new XElement(S3Xml.N("StorageClass"), u.Write.StorageClass),
                new XElement(S3Xml.N("Initiated"), S3Xml.Timestamp(u.Initiated)))),
            page.CommonPrefixes.Select(p => new XElement(S3Xml.N("CommonPrefixes"), listing.Element("Prefix", p)))));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
