using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Tally.Core.Errors;
using Tally.S3.Xml;

namespace Tally.Server.Pipeline;

/// <summary>Renders an S3Exception as AWS's XML error document: the one place errors become bytes.</summary>
public static class S3ErrorWriter
{
    public static async Task WriteAsync(HttpContext http, S3Exception error, AccessLogCapture capture, string resource)
    {
        capture.ErrorCode = error.Error.Code;
        var response = http.Response;
        if (response.HasStarted)
        {
            // Headers are gone; the only honest signal left is to abort the connection.
            http.Abort();
            return;
        }

        response.StatusCode = error.Error.HttpStatus;
        response.Headers.ContentType = "application/xml";
        if (error.Error.HttpStatus == StatusCodes.Status304NotModified || HttpMethods.IsHead(http.Request.Method))
        {
            // No body on 304 and HEAD; S3 still sends the code in the status line only.
            response.ContentLength = 0;
            return;
        }

        var root = new XElement("Error",
            new XElement("Code", error.Error.Code),
            new XElement("Message", error.Message));
        foreach (var (name, value) in error.Details)
        {
            root.Add(new XElement(name, value));
        }

        if (!error.Details.ContainsKey("Resource"))
        {
            root.Add(new XElement("Resource", resource));
        }

        root.Add(new XElement("RequestId", capture.RequestId), new XElement("HostId", capture.HostId));
        var body = S3Xml.ToBytes(root);
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, http.RequestAborted);
    }
}
