using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>GET /bucket?ownershipControls: BucketOwnerEnforced for a new bucket; OwnershipControlsNotFoundError after a delete.</summary>
public static class GetBucketOwnershipControls
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var access = await RequestAuthorization.For(context).LoadAsync(context.BucketName, context.Aborted);
        if (access.OwnershipRemoved)
        {
            throw S3Exception.With(S3Errors.OwnershipControlsNotFoundError, null, ("BucketName", context.BucketName));
        }

        await S3Responses.WriteXmlAsync(context, new XElement(
            S3Xml.N("OwnershipControls"),
            new XElement(S3Xml.N("Rule"), new XElement(S3Xml.N("ObjectOwnership"), PutBucketOwnershipControls.Name(access.Ownership)))));
    }
}
