using Tally.Server.Operations.Access;
using Tally.Server.Operations.Lifecycle;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Objects;

public static class PutObject
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var write = await RequestAuthorization.For(context).NewObjectWriteAsync(context, ObjectRequestHeaders.Write(context));
        await using var body = RequestBody.OpenVerified(context);
        var info = await context.Store.PutObjectAsync(
            context.BucketName,
            context.Key,
            body.Stream,
            write with { Checksums = body.Checksums },
            context.Aborted);
        context.Capture.ObjectSize = info.Size;
        context.Response.Headers.ETag = info.ETag;
        ObjectVersions.AnnounceCreated(context, info.VersionId);
        await LifecycleResponseHeaders.WriteAsync(context, info, restore: false);
        body.WriteChecksumHeaders(context.Response.Headers, info.Checksums);
        await S3Responses.WriteEmptyAsync(context);
    }
}
