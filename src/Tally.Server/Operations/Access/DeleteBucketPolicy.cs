using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>DELETE /bucket?policy: 204 whether or not a policy existed, as S3 answers.</summary>
public static class DeleteBucketPolicy
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        await context.Settings.DeleteAsync(context.BucketName, BucketAccess.PolicyKind, context.Aborted);
        await S3Responses.WriteEmptyAsync(context, 204);
    }
}
