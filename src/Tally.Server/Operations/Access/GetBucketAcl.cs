using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>GET /bucket?acl: the stored ACL, or the owner's private one (always so with ACLs disabled).</summary>
public static class GetBucketAcl
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var access = await RequestAuthorization.For(context).LoadAsync(context.BucketName, context.Aborted);
        await S3Responses.WriteXmlAsync(context, access.EffectiveAcl(context.Bucket.OwnerCanonicalId).ToXml());
    }
}
