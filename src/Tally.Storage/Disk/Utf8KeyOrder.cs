using System.Buffers;
using System.Text;

namespace Tally.Storage.Disk;

/// <summary>
/// S3 sorts keys as UTF-8 bytes, which is Unicode code point order. SQLite's BINARY collation on
/// UTF-8 TEXT is memcmp, so the catalog agrees; these helpers give C# the same order (ordinal
/// string comparison does not: it sorts surrogate pairs below U+E000..U+FFFF).
/// </summary>
internal static class Utf8KeyOrder
{
    public static int Compare(string a, string b)
    {
        var ai = 0;
        var bi = 0;
        while (ai < a.Length && bi < b.Length)
        {
            if (a[ai] == b[bi] && !char.IsSurrogate(a[ai]))
            {
                ai++;
                bi++;
                continue;
            }

            _ = Rune.DecodeFromUtf16(a.AsSpan(ai), out var ra, out var na);
            _ = Rune.DecodeFromUtf16(b.AsSpan(bi), out var rb, out var nb);
            if (ra != rb)
            {
                return ra.Value.CompareTo(rb.Value);
            }

            ai += na;
            bi += nb;
        }

        return (a.Length - ai).CompareTo(b.Length - bi);
    }

    /// <summary>
    /// The smallest string greater than every string that starts with <paramref name="prefix"/>:
    /// the prefix with its last code point incremented (trailing U+10FFFF dropped first). Null when
    /// no such string exists (empty prefix, or only U+10FFFF).
    /// </summary>
    public static string? PrefixEnd(string prefix)
    {
        var end = prefix.Length;
        while (end > 0)
        {
            if (Rune.DecodeLastFromUtf16(prefix.AsSpan(0, end), out var last, out var width) != OperationStatus.Done)
            {
                // A lone surrogate cannot be part of a stored key (keys are valid UTF-8).
                last = Rune.ReplacementChar;
            }

            if (last.Value == 0x10FFFF)
            {
                end -= width;
                continue;
            }

            var next = last.Value + 1;
            if (next == 0xD800)
            {
                next = 0xE000;
            }

            return string.Concat(prefix.AsSpan(0, end - width), new Rune(next).ToString());
        }

        return null;
    }
}
