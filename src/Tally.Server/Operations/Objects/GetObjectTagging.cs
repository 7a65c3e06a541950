using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Objects;

public static class GetObjectTagging
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var versionId = ObjectVersions.Requested(context);
        var info = await ObjectVersions.ReadAsync(context, versionId, () => context.Store.HeadObjectAsync(context.BucketName, context.Key, versionId, context.Aborted));
        ObjectVersions.Announce(context, info.VersionId);
        await S3Responses.WriteXmlAsync(context, ObjectTagging.ToXml(info.Tags));
    }
}
