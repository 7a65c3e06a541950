using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Objects;

public static class DeleteObjectTagging
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var versionId = ObjectVersions.Requested(context);
        var info = await ObjectVersions.ReadAsync(context, versionId, () => context.Store.PutObjectTagsAsync(context.BucketName, context.Key, versionId, new Dictionary<string, string>(), context.Aborted));
        ObjectVersions.Announce(context, info.VersionId);
        await S3Responses.WriteEmptyAsync(context, 204);
    }
}
