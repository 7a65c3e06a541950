using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Server.Operations.Access;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Objects;

public static class CopyObject
{
    /// <summary>The largest object a single CopyObject may copy (AWS: 5 GB; larger needs UploadPartCopy).</summary>
    private const long MaxCopyBytes = 5L * 1024 * 1024 * 1024;

    public static async Task HandleAsync(S3RequestContext context)
    {
        var source = CopySource.Parse(context.Header("x-amz-copy-source")!);
        var replaceMetadata = Directive(context, "x-amz-metadata-directive");
        var replaceTags = Directive(context, "x-amz-tagging-directive");
        var storageClass = context.Header("x-amz-storage-class");
        if (source.Bucket == context.BucketName && source.Key == context.Key && !replaceMetadata && storageClass is null)
        {
            throw new S3Exception(S3Errors.InvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }

        await using var read = await source.OpenAsync(context, "REST.COPY.OBJECT_GET");
        var info = read.Info;
        if (info.Size > MaxCopyBytes)
        {
            throw new S3Exception(S3Errors.InvalidRequest, "The specified copy source is larger than the maximum allowable size for a copy source: 5368709120");
        }

        // The copy is a new object: its owner and ACL come from this request, never from the source.
        var requested = await RequestAuthorization.For(context).NewObjectWriteAsync(context, ObjectRequestHeaders.Write(context));
        var write = requested with
        {
            Headers = replaceMetadata ? requested.Headers : info.Headers,
            Tags = replaceTags ? requested.Tags : info.Tags,
            StorageClass = storageClass is null ? info.StorageClass : requested.StorageClass,
            Checksums = () => info.Checksums,
        };
        var copied = await context.Store.PutObjectAsync(context.BucketName, context.Key, read.Content, write, context.Aborted);
        context.Capture.ObjectSize = copied.Size;
        ObjectVersions.AnnounceCopySource(context, source, info);
        ObjectVersions.AnnounceCreated(context, copied.VersionId);
        await S3Responses.WriteXmlAsync(context, new XElement(S3Xml.N("CopyObjectResult"),
            new XElement(S3Xml.N("LastModified"), S3Xml.Timestamp(copied.LastModified)),
            new XElement(S3Xml.N("ETag"), copied.ETag)));
    }

    private static bool Directive(S3RequestContext context, string header) => context.Header(header) switch
    {
        null or "COPY" => false,
        "REPLACE" => true,
        var other => throw S3Exception.With(S3Errors.InvalidArgument, $"Unknown {header}", ("ArgumentName", header), ("ArgumentValue", other)),
    };
}
