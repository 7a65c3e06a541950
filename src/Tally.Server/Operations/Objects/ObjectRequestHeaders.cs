using System.Globalization;
using Microsoft.AspNetCore.Http;
using Tally.Core.Errors;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Objects;

/// <summary>Reads what a PUT, POST ?uploads or COPY (REPLACE) stores with the object from the request headers.</summary>
public static class ObjectRequestHeaders
{
    private const string MetaPrefix = "x-amz-meta-";

    /// <summary>User metadata limit: 2 KB of names and values, as AWS counts them.</summary>
    private const int MaxUserMetadataBytes = 2048;

    private static readonly string[] StorageClasses =
        ["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "OUTPOSTS", "SNOW", "EXPRESS_ONEZONE"];

    public static ObjectHeaders Headers(HttpRequest request)
    {
        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var size = 0;
        foreach (var (name, value) in request.Headers)
        {
            if (name.StartsWith(MetaPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var key = name[MetaPrefix.Length..].ToLowerInvariant();
                var text = value.ToString();
                size += key.Length + text.Length;
                metadata[key] = text;
            }
        }

        if (size > MaxUserMetadataBytes)
        {
            throw S3Exception.With(S3Errors.MetadataTooLarge, null, ("Size", size.ToString(CultureInfo.InvariantCulture)), ("MaxSizeAllowed", MaxUserMetadataBytes.ToString(CultureInfo.InvariantCulture)));
        }

        return new ObjectHeaders(
            Value(request, "Content-Type") ?? "binary/octet-stream",
            Value(request, "Cache-Control"),
            Value(request, "Content-Disposition"),
            ContentEncoding(request),
            Value(request, "Content-Language"),
            Value(request, "Expires"),
            metadata);
    }

    public static ObjectWrite Write(S3RequestContext context) =>
        new(Headers(context.Request), context.CallerCanonicalId, Tags(context.Header("x-amz-tagging")), StorageClass(context.Header("x-amz-storage-class")));

    public static string StorageClass(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "STANDARD";
        }

        return StorageClasses.Contains(value, StringComparer.Ordinal) ? value : throw new S3Exception(S3Errors.InvalidStorageClass);
    }

    /// <summary>x-amz-tagging is a URL query string: k1=v1&amp;k2=v2.</summary>
    public static IReadOnlyDictionary<string, string> Tags(string? header)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(header))
        {
            return tags;
        }

        foreach (var (key, value) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(header))
        {
            tags[key] = value.ToString();
        }

        ObjectTags.Validate(tags);
        return tags;
    }

    private static string? Value(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var v) && v.Count > 0 ? v.ToString() : null;

    /// <summary>aws-chunked is a transfer detail of the upload, not part of the stored Content-Encoding.</summary>
    private static string? ContentEncoding(HttpRequest request)
    {
        var value = Value(request, "Content-Encoding");
        if (value is null)
        {
            return null;
        }

        var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        return parts.Length == 0 ? null : string.Join(',', parts);
    }
}
