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
        await context.Store.CreateBucketAsync(
            new BucketInfo(name, caller.AccountId, caller.CanonicalUserId, region, context.Services.Time.GetUtcNow()),
            context.Aborted);
        context.Response.Headers.Location = "/" + name;
        await S3Responses.WriteEmptyAsync(context);
    }
}
