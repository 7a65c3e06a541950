using System.Xml.Linq;
using Tally.S3.Xml;
using Tally.Server.Operations.Access;
using Tally.Server.Operations.Objects;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Multipart;

public static class CreateMultipartUpload
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        // Owner and ACL are decided now, as for a PUT; the store applies them at Complete.
        var write = await RequestAuthorization.For(context).NewObjectWriteAsync(context, ObjectRequestHeaders.Write(context));
        write = write with { Initiator = context.Identity?.Requester };
        var upload = await context.Store.CreateMultipartUploadAsync(context.BucketName, context.Key, write, context.Aborted);
        if (context.Header("x-amz-checksum-algorithm") is { } algorithm)
        {
            context.Response.Headers["x-amz-checksum-algorithm"] = algorithm;
        }

        await S3Responses.WriteXmlAsync(context, new XElement(S3Xml.N("InitiateMultipartUploadResult"),
            new XElement(S3Xml.N("Bucket"), context.BucketName),
            new XElement(S3Xml.N("Key"), context.Key),
            new XElement(S3Xml.N("UploadId"), upload.UploadId)));
    }
}
