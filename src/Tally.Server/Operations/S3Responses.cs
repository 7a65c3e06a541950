using System.Xml.Linq;
using Tally.S3.Xml;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations;

/// <summary>Writing successful responses: XML documents and empty bodies.</summary>
public static class S3Responses
{
    public static async Task WriteXmlAsync(S3RequestContext context, XElement root, int status = 200)
    {
        var body = S3Xml.ToBytes(root);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/xml";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.Aborted);
    }

    public static Task WriteEmptyAsync(S3RequestContext context, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    public static XElement Owner(string canonicalId) =>
        new(S3Xml.N("Owner"), new XElement(S3Xml.N("ID"), canonicalId), new XElement(S3Xml.N("DisplayName"), canonicalId[..Math.Min(12, canonicalId.Length)]));
}
