using System.Globalization;
using Tally.Core.Errors;

namespace Tally.S3.Headers;

/// <summary>
/// If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since, evaluated in S3's order:
/// If-Match decides over If-Unmodified-Since, If-None-Match over If-Modified-Since; failures are
/// 412 PreconditionFailed, or 304 NotModified for GET/HEAD's "none match"/"modified since".
/// </summary>
public sealed record Conditional(string? IfMatch, string? IfNoneMatch, DateTimeOffset? IfModifiedSince, DateTimeOffset? IfUnmodifiedSince)
{
    public static Conditional From(Func<string, string?> header, string prefix = "") => new(
        header(prefix + "If-Match"),
        header(prefix + "If-None-Match"),
        ParseDate(header(prefix + "If-Modified-Since")),
        ParseDate(header(prefix + "If-Unmodified-Since")));

    public bool IsEmpty => IfMatch is null && IfNoneMatch is null && IfModifiedSince is null && IfUnmodifiedSince is null;

    /// <summary>Throws PreconditionFailed or NotModified when the object does not satisfy the conditions.</summary>
    public void Check(string etag, DateTimeOffset lastModified, S3Error notModified)
    {
        // HTTP dates have whole seconds.
        var modified = lastModified.ToUniversalTime();
        modified = modified.AddTicks(-(modified.Ticks % TimeSpan.TicksPerSecond));

        if (IfMatch is not null)
        {
            if (!Matches(IfMatch, etag))
            {
                throw new S3Exception(S3Errors.PreconditionFailed, null, Condition("If-Match"));
            }
        }
        else if (IfUnmodifiedSince is { } unmodifiedSince && modified > unmodifiedSince)
        {
            throw new S3Exception(S3Errors.PreconditionFailed, null, Condition("If-Unmodified-Since"));
        }

        if (IfNoneMatch is not null)
        {
            if (Matches(IfNoneMatch, etag))
            {
                throw new S3Exception(notModified, null, Condition("If-None-Match"));
            }
        }
        else if (IfModifiedSince is { } modifiedSince && modified <= modifiedSince)
        {
            throw new S3Exception(notModified, null, Condition("If-Modified-Since"));
        }
    }

    private static Dictionary<string, string> Condition(string name) => new(StringComparer.Ordinal) { ["Condition"] = name };

    private static bool Matches(string header, string etag)
    {
        var bare = etag.Trim('"');
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
            if (candidate == "*" || candidate.Trim('"') == bare)
            {
                return true;
            }
        }

        return false;
    }

    private static DateTimeOffset? ParseDate(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;
}
