using System.Xml.Linq;
using Tally.S3.Xml;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Versioning;

public static class GetBucketVersioning
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var status = await context.Store.GetBucketVersioningAsync(context.BucketName, context.Aborted);

        // AWS: a bucket that never had versioning enabled answers an empty VersioningConfiguration.
        await S3Responses.WriteXmlAsync(context, new XElement(S3Xml.N("VersioningConfiguration"),
            status == VersioningStatus.Unversioned ? null : new XElement(S3Xml.N("Status"), status.ToString())));
    }
}
