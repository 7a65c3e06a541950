using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Security.Acls;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>
/// PUT /bucket?ownershipControls: one rule with BucketOwnerEnforced, BucketOwnerPreferred or
/// ObjectWriter. Enforcing while the bucket ACL grants anyone but the owner is refused with
/// InvalidBucketAclWithObjectOwnership (reset the ACL to private first, as S3 requires).
/// </summary>
public static class PutBucketOwnershipControls
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var body = await RequestBody.ReadAllAsync(context, S3Xml.MaxRequestBytes);
        var root = S3Xml.ParseRequest(body, "OwnershipControls");
        var rules = root.Children("Rule").ToList();
        if (rules.Count != 1)
        {
            throw new S3Exception(S3Errors.MalformedXML);
        }

        var value = rules[0].ChildValue("ObjectOwnership");
        if (value is not ("BucketOwnerEnforced" or "BucketOwnerPreferred" or "ObjectWriter"))
        {
            throw new S3Exception(S3Errors.MalformedXML);
        }

        var access = await RequestAuthorization.For(context).LoadAsync(context.BucketName, context.Aborted);
        if (value == "BucketOwnerEnforced" && access.AclsEnabled && access.Acl is { } acl && !acl.OnlyFullControlTo(context.Bucket.OwnerCanonicalId))
        {
            throw new S3Exception(S3Errors.InvalidBucketAclWithObjectOwnership);
        }

        await context.Settings.PutAsync(context.BucketName, BucketAccess.OwnershipKind, value, context.Aborted);
        await S3Responses.WriteEmptyAsync(context);
    }

    internal static string Name(ObjectOwnership ownership) => ownership.ToString();
}
