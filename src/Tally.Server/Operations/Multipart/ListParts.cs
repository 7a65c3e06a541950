using System.Xml.Linq;
using Tally.S3.Xml;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Multipart;

public static class ListParts
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var uploadId = MultipartRequest.UploadId(context);
        var upload = await context.Store.GetMultipartUploadAsync(context.BucketName, context.Key, uploadId, context.Aborted);
        var marker = MultipartRequest.Bounded(context, "part-number-marker", 0, MultipartRequest.MaxPartNumber);
        var maxParts = MultipartRequest.Bounded(context, "max-parts", 1000, 1000);
        var page = await context.Store.ListPartsAsync(context.BucketName, context.Key, uploadId, marker, maxParts, context.Aborted);
        var owner = upload.Write.OwnerCanonicalId;
        await S3Responses.WriteXmlAsync(context, new XElement(S3Xml.N("ListPartsResult"),
            new XElement(S3Xml.N("Bucket"), context.BucketName),
            new XElement(S3Xml.N("Key"), context.Key),
            new XElement(S3Xml.N("UploadId"), uploadId),
            new XElement(S3Xml.N("PartNumberMarker"), marker),
            new XElement(S3Xml.N("NextPartNumberMarker"), page.NextPartNumberMarker),
            new XElement(S3Xml.N("MaxParts"), maxParts),
            new XElement(S3Xml.N("IsTruncated"), page.IsTruncated ? "true" : "false"),
            page.Parts.Select(p => new XElement(S3Xml.N("Part"),
                new XElement(S3Xml.N("PartNumber"), p.PartNumber),
                new XElement(S3Xml.N("LastModified"), S3Xml.Timestamp(p.LastModified)),
                new XElement(S3Xml.N("ETag"), p.ETag),
                p.Checksums.Select(c => new XElement(S3Xml.N("Checksum" + c.Key), c.Value)),
                new XElement(S3Xml.N("Size"), p.Size))),
            Initiator(upload.Write),
            S3Responses.Owner(owner),
            new XElement(S3Xml.N("StorageClass"), upload.Write.StorageClass)));
    }

    /// <summary>Who started the upload: an IAM user's ARN (display name: the user's name) or a root user's canonical id.</summary>
    public static XElement Initiator(ObjectWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var id = write.Initiator ?? write.OwnerCanonicalId;
        var user = id.IndexOf(":user/", StringComparison.Ordinal);
        var displayName = user >= 0 ? id[(user + ":user/".Length)..] : id[..Math.Min(12, id.Length)];
        return new(S3Xml.N("Initiator"), new XElement(S3Xml.N("ID"), id), new XElement(S3Xml.N("DisplayName"), displayName));
    }
}
