using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Objects;

public static class PutObjectTagging
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var tags = await ObjectTagging.ReadRequestAsync(context);
        var versionId = ObjectVersions.Requested(context);
        var info = await ObjectVersions.ReadAsync(context, versionId, () => context.Store.PutObjectTagsAsync(context.BucketName, context.Key, versionId, tags, context.Aborted));
        ObjectVersions.Announce(context, info.VersionId);
        await S3Responses.WriteEmptyAsync(context);
    }
}
