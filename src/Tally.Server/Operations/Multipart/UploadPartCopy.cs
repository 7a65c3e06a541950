using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.S3.Headers;
using Tally.S3.Xml;
using Tally.Server.Operations.Objects;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Multipart;

public static class UploadPartCopy
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var uploadId = MultipartRequest.UploadId(context);
        var partNumber = MultipartRequest.PartNumber(context);
        await context.Store.GetMultipartUploadAsync(context.BucketName, context.Key, uploadId, context.Aborted);
        var source = CopySource.Parse(context.Header("x-amz-copy-source")!);
        await using var read = await source.OpenAsync(context, "REST.COPY.PART_GET");

        var rangeHeader = context.Header("x-amz-copy-source-range");
        var range = new ByteRange(0, read.Info.Size);
        if (rangeHeader is not null)
        {
            // The copy range must be a plain, satisfiable first-last range; S3 rejects anything else.
            var parsed = ByteRange.Parse(rangeHeader, read.Info.Size);
            if (parsed is null || rangeHeader.Contains("=-", StringComparison.Ordinal) || rangeHeader.EndsWith('-'))
            {
                throw S3Exception.With(S3Errors.InvalidArgument, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy", ("ArgumentName", "x-amz-copy-source-range"), ("ArgumentValue", rangeHeader));
            }

            range = parsed.Value;
        }

        await using var window = new ByteRangeStream(read.Content, range.Offset, range.Length);
        var part = await context.Store.UploadPartAsync(context.BucketName, context.Key, uploadId, partNumber, window, new PartWrite(), context.Aborted);
        context.Capture.ObjectSize = part.Size;
        ObjectVersions.AnnounceCopySource(context, source, read.Info);
        await S3Responses.WriteXmlAsync(context, new XElement(S3Xml.N("CopyPartResult"),
            new XElement(S3Xml.N("ETag"), part.ETag),
            new XElement(S3Xml.N("LastModified"), S3Xml.Timestamp(part.LastModified))));
    }
}
