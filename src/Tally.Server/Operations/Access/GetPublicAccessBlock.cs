using Tally.Core.Errors;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>GET /bucket?publicAccessBlock: NoSuchPublicAccessBlockConfiguration when none is set.</summary>
public static class GetPublicAccessBlock
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var access = await RequestAuthorization.For(context).LoadAsync(context.BucketName, context.Aborted);
        var block = access.PublicAccessBlock ?? throw S3Exception.With(S3Errors.NoSuchPublicAccessBlockConfiguration, null, ("BucketName", context.BucketName));
        await S3Responses.WriteXmlAsync(context, block.ToXml());
    }
}
