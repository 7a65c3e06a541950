using Tally.S3.Xml;
using Tally.Security.Policies;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>PUT /bucket?publicAccessBlock: the four settings, stored as given (a missing one is false).</summary>
public static class PutPublicAccessBlock
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var body = await RequestBody.ReadAllAsync(context, S3Xml.MaxRequestBytes);
        var block = PublicAccessBlock.FromXml(S3Xml.ParseRequest(body, "PublicAccessBlockConfiguration"));
        await context.Settings.PutAsync(context.BucketName, BucketAccess.PublicAccessBlockKind, block.Serialize(), context.Aborted);
        await S3Responses.WriteEmptyAsync(context);
    }
}
