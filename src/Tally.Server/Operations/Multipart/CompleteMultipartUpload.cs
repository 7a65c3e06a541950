using System.Globalization;
using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Server.Operations.Objects;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Multipart;

public static class CompleteMultipartUpload
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var uploadId = MultipartRequest.UploadId(context);
        var body = await RequestBody.ReadAllAsync(context, S3Xml.MaxRequestBytes);
        var root = S3Xml.ParseRequest(body, "CompleteMultipartUpload");
        var parts = new List<CompletedPart>();
        foreach (var part in root.Children("Part"))
        {
            if (!int.TryParse(part.ChildValue("PartNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || part.ChildValue("ETag") is not { } etag)
            {
                throw new S3Exception(S3Errors.MalformedXML);
            }

            parts.Add(new CompletedPart(number, etag));
        }

        if (parts.Count == 0)
        {
            throw new S3Exception(S3Errors.MalformedXML, "The XML you provided was not well-formed or did not validate against our published schema");
        }

        var info = await context.Store.CompleteMultipartUploadAsync(context.BucketName, context.Key, uploadId, parts, context.Aborted);
        context.Capture.ObjectSize = info.Size;
        ObjectVersions.AnnounceCreated(context, info.VersionId);
        var request = context.Request;
        await S3Responses.WriteXmlAsync(context, new XElement(S3Xml.N("CompleteMultipartUploadResult"),
            new XElement(S3Xml.N("Location"), $"{request.Scheme}://{request.Host}/{context.BucketName}/{Uri.EscapeDataString(context.Key).Replace("%2F", "/", StringComparison.Ordinal)}"),
            new XElement(S3Xml.N("Bucket"), context.BucketName),
            new XElement(S3Xml.N("Key"), context.Key),
            new XElement(S3Xml.N("ETag"), info.ETag)));
    }
}
