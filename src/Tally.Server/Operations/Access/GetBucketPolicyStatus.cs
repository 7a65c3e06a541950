using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>GET /bucket?policyStatus: whether the bucket policy is public; NoSuchBucketPolicy without one.</summary>
public static class GetBucketPolicyStatus
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var access = await RequestAuthorization.For(context).LoadAsync(context.BucketName, context.Aborted);
        var policy = access.Policy ?? throw S3Exception.With(S3Errors.NoSuchBucketPolicy, null, ("BucketName", context.BucketName));

        // Lower-case, which every SDK parses; AWS's own sample's "TRUE" is read as false by botocore.
        await S3Responses.WriteXmlAsync(context, new XElement(S3Xml.N("PolicyStatus"), new XElement(S3Xml.N("IsPublic"), policy.IsPublic ? "true" : "false")));
    }
}
