using System.Globalization;
using Tally.Core.Errors;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Multipart;

/// <summary>Query parameters of the multipart operations.</summary>
public static class MultipartRequest
{
    public const int MaxPartNumber = 10000;

    public static string UploadId(S3RequestContext context) =>
        context.Query("uploadId") is { Length: > 0 } id ? id : throw new S3Exception(S3Errors.NoSuchUpload);

    public static int PartNumber(S3RequestContext context)
    {
        var raw = context.Query("partNumber");
        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= MaxPartNumber
            ? number
            : throw S3Exception.With(S3Errors.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive", ("ArgumentName", "partNumber"), ("ArgumentValue", raw ?? string.Empty));
    }

    /// <summary>A non-negative integer query parameter with an upper bound (max-parts, max-uploads, markers).</summary>
    public static int Bounded(S3RequestContext context, string name, int defaultValue, int max)
    {
        var raw = context.Query(name);
        if (string.IsNullOrEmpty(raw))
        {
            return defaultValue;
        }

        if (!raw.All(char.IsAsciiDigit))
        {
            throw S3Exception.With(S3Errors.InvalidArgument, $"Provided {name} not an integer or within integer range", ("ArgumentName", name), ("ArgumentValue", raw));
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? Math.Min(value, max) : max;
    }
}
