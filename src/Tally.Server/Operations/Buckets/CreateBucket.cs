using Tally.Core.Errors;
using Tally.Core.Naming;
using Tally.S3.Xml;
using Tally.Security.Acls;
using Tally.Server.Operations.Access;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Buckets;

/// <summary>
/// PUT /bucket: the bucket in the requested region, with the Object Ownership of
/// x-amz-object-ownership (BucketOwnerEnforced when absent, S3's default), Block Public Access all
/// on (<see cref="BucketDefaults"/>) and, when the ownership enables ACLs, the bucket ACL of
/// x-amz-acl / x-amz-grant-* (a public one is InvalidBucketAclWithBlockPublicAccessError). An ACL
/// beyond the owner's full control on a BucketOwnerEnforced bucket was refused by
/// RequestAuthorization (InvalidBucketAclWithObjectOwnership).
/// </summary>
public static class CreateBucket
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var name = context.BucketName;
        BucketName.Validate(name);
        var options = context.Services.Options;
        var region = options.Region;

        var body = await RequestBody.ReadAllAsync(context, S3Xml.MaxRequestBytes);
        if (body.Length > 0)
        {
            var configuration = S3Xml.ParseRequest(body, "CreateBucketConfiguration");
            var constraint = configuration.ChildValue("LocationConstraint");

            // "EU" is S3's legacy name for eu-west-1, still sent by SDKs (the .NET SDK maps eu-west-1 to it).
            constraint = constraint == "EU" ? "eu-west-1" : constraint;
            if (!string.IsNullOrEmpty(constraint))
            {
                if (!options.HostedRegions.Contains(constraint, StringComparer.Ordinal))
                {
                    throw S3Exception.With(
                        S3Errors.InvalidLocationConstraint,
                        $"{S3Errors.InvalidLocationConstraint.Message}: '{constraint}' (this server hosts {string.Join(", ", options.HostedRegions)})",
                        ("LocationConstraint", constraint));
                }

                region = constraint;
            }
        }

        var caller = context.Caller;

        // Both headers are checked before the bucket exists, so a refused request creates nothing.
        var ownership = context.Header("x-amz-object-ownership");
        if (ownership is not (null or "BucketOwnerEnforced" or "BucketOwnerPreferred" or "ObjectWriter"))
        {
            throw S3Exception.With(S3Errors.InvalidArgument, "Invalid x-amz-object-ownership header", ("ArgumentName", "x-amz-object-ownership"), ("ArgumentValue", ownership));
        }

        var acl = CannedAcl.FromHeaders(context.Header, caller.CanonicalUserId, caller.CanonicalUserId);
        var aclsEnabled = BucketAccess.ParseOwnership(ownership) != ObjectOwnership.BucketOwnerEnforced;
        if (acl is not null)
        {
            RequestAuthorization.RequireResolvableGrantees(acl);
        }

        // A new bucket starts with Block Public Access on, so a public ACL cannot come with it: AWS
        // asks to create the bucket, delete the block, then PutBucketAcl (API_CreateBucket.html).
        if (acl is not null && aclsEnabled && BucketDefaults.PublicAccessBlock.BlockPublicAcls && acl.IsPublic)
        {
            throw new S3Exception(S3Errors.InvalidBucketAclWithBlockPublicAccessError);
        }

        await BucketDefaults.CreateAsync(
            context.Store,
            context.Settings,
            new BucketInfo(name, caller.AccountId, caller.CanonicalUserId, region, context.Services.Time.GetUtcNow()),
            context.Aborted);
        if (ownership is not null)
        {
            await context.Settings.PutAsync(name, BucketAccess.OwnershipKind, ownership, context.Aborted);
        }

        if (acl is not null && aclsEnabled)
        {
            await context.Settings.PutAsync(name, BucketAccess.AclKind, acl.Serialize(), context.Aborted);
        }

        context.Response.Headers.Location = "/" + name;
        await S3Responses.WriteEmptyAsync(context);
    }
}
