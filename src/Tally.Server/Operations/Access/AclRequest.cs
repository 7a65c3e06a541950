using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Security.Acls;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Access;

/// <summary>The ACL a PutBucketAcl / PutObjectAcl request sets: from its body (AccessControlPolicy) or its headers, never both.</summary>
internal static class AclRequest
{
    public static async Task<AccessControlList> ReadAsync(S3RequestContext context, string ownerCanonicalId, string bucketOwnerCanonicalId)
    {
        var body = await RequestBody.ReadAllAsync(context, S3Xml.MaxRequestBytes);
        var fromHeaders = CannedAcl.FromHeaders(context.Header, ownerCanonicalId, bucketOwnerCanonicalId);
        if (fromHeaders is not null)
        {
            return body.Length == 0 ? fromHeaders : throw new S3Exception(S3Errors.UnexpectedContent);
        }

        if (body.Length == 0)
        {
            throw new S3Exception(S3Errors.MissingSecurityHeader, "Your request was missing a required header", new Dictionary<string, string> { ["MissingHeaderName"] = "x-amz-acl" });
        }

        XmlAcl(body, out var parsed);

        // The document names the owner; S3 refuses to hand the resource to someone else this way.
        if (!string.Equals(parsed.OwnerCanonicalId, ownerCanonicalId, StringComparison.OrdinalIgnoreCase))
        {
            throw new S3Exception(S3Errors.AccessDenied);
        }

        return parsed with { OwnerCanonicalId = ownerCanonicalId };
    }

    private static void XmlAcl(byte[] body, out AccessControlList acl)
    {
        System.Xml.Linq.XElement root;
        try
        {
            root = S3Xml.ParseRequest(body, "AccessControlPolicy");
        }
        catch (S3Exception)
        {
            throw new S3Exception(S3Errors.MalformedACLError);
        }

        acl = AccessControlList.FromXml(root);
    }
}
