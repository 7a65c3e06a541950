using System.Globalization;
using Microsoft.AspNetCore.Http;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Objects;

/// <summary>The headers GET and HEAD answer with, including response-* overrides.</summary>
public static class ObjectResponseHeaders
{
    public static void Write(HttpContext http, ObjectInfo info, bool checksumMode)
    {
        var headers = http.Response.Headers;
        var query = http.Request.Query;
        headers.ETag = info.ETag;
        headers.LastModified = info.LastModified.ToString("R", CultureInfo.InvariantCulture);
        headers.AcceptRanges = "bytes";
        headers.ContentType = Override(query, "response-content-type") ?? info.Headers.ContentType ?? "binary/octet-stream";
        Set(headers, "Cache-Control", Override(query, "response-cache-control") ?? info.Headers.CacheControl);
        Set(headers, "Content-Disposition", Override(query, "response-content-disposition") ?? info.Headers.ContentDisposition);
        Set(headers, "Content-Encoding", Override(query, "response-content-encoding") ?? info.Headers.ContentEncoding);
        Set(headers, "Content-Language", Override(query, "response-content-language") ?? info.Headers.ContentLanguage);
        Set(headers, "Expires", Override(query, "response-expires") ?? info.Headers.Expires);
        foreach (var (name, value) in info.Headers.UserMetadata)
        {
            headers["x-amz-meta-" + name] = value;
        }

        if (info.StorageClass != "STANDARD")
        {
            headers["x-amz-storage-class"] = info.StorageClass;
        }

        if (info.Tags.Count > 0)
        {
            headers["x-amz-tagging-count"] = info.Tags.Count.ToString(CultureInfo.InvariantCulture);
        }

        if (info.PartSizes is { } parts)
        {
            headers["x-amz-mp-parts-count"] = parts.Count.ToString(CultureInfo.InvariantCulture);
        }

        if (checksumMode)
        {
            foreach (var (algorithm, value) in info.Checksums)
            {
                headers["x-amz-checksum-" + algorithm.ToLowerInvariant()] = value;
            }
        }
    }

    private static string? Override(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var v) && v.Count > 0 ? v.ToString() : null;

    private static void Set(IHeaderDictionary headers, string name, string? value)
    {
        if (value is not null)
        {
            headers[name] = value;
        }
    }
}
