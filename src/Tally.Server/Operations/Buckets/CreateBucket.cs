using Tally.Core.Errors;
using Tally.Core.Naming;
using Tally.S3.Xml;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Buckets;

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
            if (!string.IsNullOrEmpty(constraint))
            {
                if (!options.HostedRegions.Contains(constraint, StringComparer.Ordinal))
                {
                    throw S3Exception.With(S3Errors.InvalidLocationConstraint, null, ("LocationConstraint", constraint));
                }

                region = constraint;
            }
        }

        var caller = context.Caller;
        await context.Store.CreateBucketAsync(
            new BucketInfo(name, caller.AccountId, caller.CanonicalUserId, region, context.Services.Time.GetUtcNow()),
            context.Aborted);
        context.Response.Headers.Location = "/" + name;
        await S3Responses.WriteEmptyAsync(context);
    }
}
