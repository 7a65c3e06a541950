using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Objects;

public static class DeleteObject
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var versionId = ObjectVersions.Requested(context);
        var deletion = await context.Store.DeleteObjectAsync(
            context.BucketName,
            context.Key,
            new DeleteObjectOptions { VersionId = versionId, RequesterCanonicalId = context.CallerCanonicalId },
            context.Aborted);
        context.Capture.ObjectSize = deletion.Removed?.Size;
        if (deletion.DeleteMarker)
        {
            context.Response.Headers[ObjectVersions.DeleteMarkerHeader] = "true";
        }

        if (deletion.VersionId is { } affected)
        {
            // The marker a delete created, or the version (or marker) it removed.
            ObjectVersions.AnnounceCreated(context, affected);
        }

        await S3Responses.WriteEmptyAsync(context, 204);
    }
}
