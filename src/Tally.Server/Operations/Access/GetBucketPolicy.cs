using System.Text;
using Tally.Core.Errors;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>GET /bucket?policy: the policy as it was put; NoSuchBucketPolicy when there is none.</summary>
public static class GetBucketPolicy
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var json = await context.Settings.GetAsync(context.BucketName, BucketAccess.PolicyKind, context.Aborted)
            ?? throw S3Exception.With(S3Errors.NoSuchBucketPolicy, null, ("BucketName", context.BucketName));
        var body = Encoding.UTF8.GetBytes(json);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.Aborted);
    }
}
