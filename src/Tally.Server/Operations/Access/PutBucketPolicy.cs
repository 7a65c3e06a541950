using System.Text;
using Tally.Core.Errors;
using Tally.Security.Policies;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>
/// PUT /bucket?policy: a JSON policy, validated (MalformedPolicy with S3's message) before it is
/// stored. A policy that denies the owner is accepted, as in S3: the owner's root user can always
/// replace or delete it. BlockPublicPolicy refuses a public policy.
/// </summary>
public static class PutBucketPolicy
{
    // Read a little more than S3's 20 KB so the parser, not the reader, reports the size.
    private const int MaxBodyBytes = 64 * 1024;

    public static async Task HandleAsync(S3RequestContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            throw new S3Exception(S3Errors.MalformedPolicy, "Policy document is too large. The maximum size is 20 KB.");
        }

        var body = await RequestBody.ReadAllAsync(context, MaxBodyBytes);
        string json;
        try
        {
            json = new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new S3Exception(S3Errors.MalformedPolicy, "This policy contains invalid Json");
        }

        var policy = PolicyDocument.ParseBucketPolicy(json, context.BucketName);
        var authorization = RequestAuthorization.For(context);
        var access = await authorization.LoadAsync(context.BucketName, context.Aborted);
        if (access.Block.BlockPublicPolicy && policy.IsPublic)
        {
            throw new S3Exception(S3Errors.AccessDenied);
        }

        await context.Settings.PutAsync(context.BucketName, BucketAccess.PolicyKind, policy.Json, context.Aborted);
        await S3Responses.WriteEmptyAsync(context, 204);
    }
}
