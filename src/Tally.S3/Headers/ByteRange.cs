using System.Globalization;
using Tally.Core.Errors;

namespace Tally.S3.Headers;

/// <summary>A satisfiable byte range of an object: [Offset, Offset + Length).</summary>
public readonly record struct ByteRange(long Offset, long Length)
{
    public long Last => Offset + Length - 1;

    public string ContentRange(long size) => string.Create(CultureInfo.InvariantCulture, $"bytes {Offset}-{Last}/{size}");

    /// <summary>
    /// Parses a Range header against an object size (RFC 9110 as S3 applies it): <c>bytes=a-b</c>,
    /// <c>bytes=a-</c>, <c>bytes=-n</c>. Returns null when the header is absent or not a single
    /// well-formed byte range (S3 then serves the whole object); throws InvalidRange (416) when it
    /// is well-formed but not satisfiable.
    /// </summary>
    public static ByteRange? Parse(string? header, long size)
    {
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.Ordinal))
        {
            return null;
        }

        var spec = header.AsSpan(6).Trim();
        if (spec.Contains(','))
        {
            return null;
        }

        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return null;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            if (!TryNumber(last, out var suffix))
            {
                return null;
            }

            if (suffix == 0 || size == 0)
            {
                throw Unsatisfiable(size);
            }

            var length = Math.Min(suffix, size);
            return new ByteRange(size - length, length);
        }

        if (!TryNumber(first, out var start))
        {
            return null;
        }

        long end;
        if (last.IsEmpty)
        {
            end = size - 1;
        }
        else if (!TryNumber(last, out end) || end < start)
        {
            return null;
        }

        if (start >= size)
        {
            throw Unsatisfiable(size);
        }

        end = Math.Min(end, size - 1);
        return new ByteRange(start, end - start + 1);
    }

    private static bool TryNumber(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static S3Exception Unsatisfiable(long size) =>
        S3Exception.With(S3Errors.InvalidRange, null, ("RangeRequested", "bytes"), ("ActualObjectSize", size.ToString(CultureInfo.InvariantCulture)));
}
