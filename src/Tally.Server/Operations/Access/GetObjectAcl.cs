using Tally.Security.Acls;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>GET /bucket/key?acl: the object's stored ACL, or its owner's private one (the bucket owner's with ACLs disabled).</summary>
public static class GetObjectAcl
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var versionId = context.Query("versionId");
        var (info, document) = await context.Store.GetObjectAclAsync(context.BucketName, context.Key, versionId, context.Aborted);
        var access = await RequestAuthorization.For(context).LoadAsync(context.BucketName, context.Aborted);
        var acl = !access.AclsEnabled
            ? AccessControlList.Private(context.Bucket.OwnerCanonicalId)
            : document is null ? AccessControlList.Private(info.OwnerCanonicalId) : AccessControlList.Deserialize(document);
        if (versionId is not null)
        {
            context.Response.Headers["x-amz-version-id"] = info.VersionId;
        }

        await S3Responses.WriteXmlAsync(context, acl.ToXml());
    }
}
