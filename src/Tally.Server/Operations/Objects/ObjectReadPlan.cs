using System.Globalization;
using Tally.Core.Errors;
using Tally.S3.Headers;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Objects;

/// <summary>
/// What GET and HEAD send for an object: conditional checks, then the part (?partNumber=) or
/// Range to serve, and the status and headers that go with it.
/// </summary>
public sealed record ObjectReadPlan(ByteRange? Range, int Status)
{
    public static ObjectReadPlan Prepare(S3RequestContext context, ObjectInfo info)
    {
        context.Capture.ObjectSize = info.Size;
        Conditional.From(context.Header).Check(info.ETag, info.LastModified, S3Errors.NotModified);

        var range = PartRange(context.Query("partNumber"), info) ?? ByteRange.Parse(context.Header("Range"), info.Size);
        var checksumMode = string.Equals(context.Header("x-amz-checksum-mode"), "ENABLED", StringComparison.OrdinalIgnoreCase);
        ObjectResponseHeaders.Write(context.Http, info, checksumMode && range is null);
        var response = context.Response;
        if (range is { } r)
        {
            response.Headers.ContentRange = r.ContentRange(info.Size);
            response.ContentLength = r.Length;
            return new ObjectReadPlan(r, 206);
        }

        response.ContentLength = info.Size;
        return new ObjectReadPlan(null, 200);
    }

    private static ByteRange? PartRange(string? partNumber, ObjectInfo info)
    {
        if (partNumber is null)
        {
            return null;
        }

        if (!int.TryParse(partNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 10000)
        {
            throw S3Exception.With(S3Errors.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive", ("ArgumentName", "partNumber"), ("ArgumentValue", partNumber));
        }

        if (info.PartSizes is not { } sizes)
        {
            return number == 1 ? new ByteRange(0, info.Size) : throw new S3Exception(S3Errors.InvalidPartNumber);
        }

        if (number > sizes.Count)
        {
            throw new S3Exception(S3Errors.InvalidPartNumber);
        }

        long offset = 0;
        for (var i = 0; i < number - 1; i++)
        {
            offset += sizes[i];
        }

        return new ByteRange(offset, sizes[number - 1]);
    }
}
