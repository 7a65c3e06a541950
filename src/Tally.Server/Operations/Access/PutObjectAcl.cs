using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>PUT /bucket/key?acl: as PutBucketAcl, for one object version; the object's owner stays its owner.</summary>
public static class PutObjectAcl
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var versionId = context.Query("versionId");
        var (info, _) = await context.Store.GetObjectAclAsync(context.BucketName, context.Key, versionId, context.Aborted);
        var bucketOwner = context.Bucket.OwnerCanonicalId;
        var authorization = RequestAuthorization.For(context);
        var access = await authorization.LoadAsync(context.BucketName, context.Aborted);
        var owner = access.AclsEnabled ? info.OwnerCanonicalId : bucketOwner;
        var acl = await AclRequest.ReadAsync(context, owner, bucketOwner);
        authorization.CheckAclWrite(context, access, acl, bucketOwner);
        var stored = await context.Store.PutObjectAclAsync(context.BucketName, context.Key, versionId, acl.Serialize(), context.Aborted);
        if (versionId is not null)
        {
            context.Response.Headers["x-amz-version-id"] = stored.VersionId;
        }

        await S3Responses.WriteEmptyAsync(context);
    }
}
