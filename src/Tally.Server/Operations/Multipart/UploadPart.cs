using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Multipart;

public static class UploadPart
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var uploadId = MultipartRequest.UploadId(context);
        var partNumber = MultipartRequest.PartNumber(context);
        await using var body = RequestBody.OpenVerified(context);
        var part = await context.Store.UploadPartAsync(context.BucketName, context.Key, uploadId, partNumber, body.Stream, new PartWrite(body.Checksums), context.Aborted);
        context.Capture.ObjectSize = part.Size;
        context.Response.Headers.ETag = part.ETag;
        body.WriteChecksumHeaders(context.Response.Headers, part.Checksums);
        await S3Responses.WriteEmptyAsync(context);
    }
}
