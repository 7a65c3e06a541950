using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>
/// PUT /bucket?acl from x-amz-acl, x-amz-grant-* or an AccessControlPolicy body. With ACLs
/// disabled (BucketOwnerEnforced) only the owner's full control is accepted, else
/// AccessControlListNotSupported; BlockPublicAcls refuses public grants.
/// </summary>
public static class PutBucketAcl
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var bucket = context.Bucket;
        var acl = await AclRequest.ReadAsync(context, bucket.OwnerCanonicalId, bucket.OwnerCanonicalId);
        var authorization = RequestAuthorization.For(context);
        var access = await authorization.LoadAsync(bucket.Name, context.Aborted);
        authorization.CheckAclWrite(context, access, acl, bucket.OwnerCanonicalId);
        await context.Settings.PutAsync(bucket.Name, BucketAccess.AclKind, acl.Serialize(), context.Aborted);
        await S3Responses.WriteEmptyAsync(context);
    }
}
