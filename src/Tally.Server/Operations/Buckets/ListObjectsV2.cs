using System.Text;
using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Buckets;

public static class ListObjectsV2
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var request = ListingRequest.From(context);
        var token = context.Query("continuation-token");
        var startAfter = context.Query("start-after");
        var from = token is not null ? DecodeToken(token) : startAfter;
        if (!string.IsNullOrEmpty(startAfter) && string.CompareOrdinal(startAfter, from) > 0)
        {
            from = startAfter;
        }

        var page = await context.Store.ListObjectsAsync(
            context.BucketName,
            new ListObjectsQuery(request.Prefix, request.Delimiter, string.IsNullOrEmpty(from) ? null : from, request.MaxKeys),
            context.Aborted);

        var fetchOwner = string.Equals(context.Query("fetch-owner"), "true", StringComparison.OrdinalIgnoreCase);
        var root = new XElement(S3Xml.N("ListBucketResult"),
            new XElement(S3Xml.N("Name"), context.BucketName),
            request.Element("Prefix", request.Prefix),
            new XElement(S3Xml.N("MaxKeys"), request.MaxKeys),
            new XElement(S3Xml.N("KeyCount"), page.Objects.Count + page.CommonPrefixes.Count),
            request.Common(),
            new XElement(S3Xml.N("IsTruncated"), page.IsTruncated ? "true" : "false"),
            token is not null ? new XElement(S3Xml.N("ContinuationToken"), token) : null,
            page.IsTruncated && page.NextMarker is not null ? new XElement(S3Xml.N("NextContinuationToken"), EncodeToken(page.NextMarker)) : null,
            startAfter is not null ? request.Element("StartAfter", startAfter) : null,
            request.Contents(page, fetchOwner),
            request.CommonPrefixes(page));
        await S3Responses.WriteXmlAsync(context, root);
    }

    /// <summary>Opaque to clients: the exclusive start key, base64url so it survives any query encoding.</summary>
    private static string EncodeToken(string marker) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(marker)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string DecodeToken(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            return new UTF8Encoding(false, true).GetString(Convert.FromBase64String(base64));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw S3Exception.With(S3Errors.InvalidArgument, "The continuation token provided is incorrect", ("ArgumentName", "continuation-token"));
        }
    }
}
