using System.Xml.Linq;
using Tally.S3.Xml;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Buckets;

public static class GetBucketLocation
{
    public static Task HandleAsync(S3RequestContext context)
    {
        // AWS answers an empty LocationConstraint for us-east-1 (the classic region).
        var region = context.Bucket.Region;
        var value = region == "us-east-1" ? string.Empty : region;
        return S3Responses.WriteXmlAsync(context, new XElement(S3Xml.N("LocationConstraint"), value));
    }
}
