using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Objects;

public static class GetObjectTagging
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var info = await context.Store.HeadObjectAsync(context.BucketName, context.Key, context.Aborted);
        await S3Responses.WriteXmlAsync(context, ObjectTagging.ToXml(info.Tags));
    }
}
