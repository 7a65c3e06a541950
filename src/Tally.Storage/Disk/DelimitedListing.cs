namespace Tally.Storage.Disk;

/// <summary>Where a catalog scan resumes: keys above (or from) <see cref="Key"/>; with <see cref="After"/>, rows of that same key ordered after it (upload ids).</summary>
internal readonly record struct ListCursor(string Key, bool Inclusive, string? After = null);

/// <summary>One listing entry: a row, or a common prefix that stands for every key under it.</summary>
internal readonly record struct ListEntry<T>(T? Row, string? CommonPrefix)
    where T : class;

/// <summary>
/// The S3 prefix/delimiter walk over a sorted catalog scan. A key whose rest (after the prefix)
/// contains the delimiter rolls up into a common prefix, and the scan then jumps past every key
/// under that common prefix with a new index seek instead of reading them. Listing order is the
/// merged order of keys and common prefixes, and a page returns entries strictly after the marker,
/// so a common prefix at or before the marker is never repeated (which keeps marker paging finite
/// when NextMarker is a common prefix).
/// </summary>
internal static class DelimitedListing
{
    /// <summary>
    /// Returns up to maxEntries + 1 entries (one more than asked tells the caller the page is
    /// truncated). <c>fetch(cursor, upperBound, limit)</c> yields rows from the cursor, below the
    /// exclusive upper bound if any, in key order, at most limit rows, lazily.
    /// </summary>
    public static List<ListEntry<T>> Walk<T>(
        string prefix,
        string? delimiter,
        string? marker,
        ListCursor start,
        int maxEntries,
        Func<ListCursor, string?, int, IEnumerable<T>> fetch,
        Func<T, string> keyOf,
        Func<T, ListCursor> cursorAfter)
        where T : class
    {
        var upper = prefix.Length == 0 ? null : Utf8KeyOrder.PrefixEnd(prefix);
        var want = Math.Max(maxEntries, 0) + 1;
        var entries = new List<ListEntry<T>>(Math.Min(want, 1024));
        var cursor = start;
        var rollUp = !string.IsNullOrEmpty(delimiter);

        while (entries.Count < want)
        {
            var limit = want - entries.Count;
            var seen = 0;
            var jumped = false;
            foreach (var row in fetch(cursor, upper, limit))
            {
                seen++;
                var key = keyOf(row);
                var at = rollUp ? key.IndexOf(delimiter!, prefix.Length, StringComparison.Ordinal) : -1;
                if (at >= 0)
                {
                    var common = key[..(at + delimiter!.Length)];
                    if (marker is null || Utf8KeyOrder.Compare(common, marker) > 0)
                    {
                        entries.Add(new ListEntry<T>(null, common));
                    }

                    var next = Utf8KeyOrder.PrefixEnd(common);
                    if (next is null)
                    {
                        return entries;
                    }

                    cursor = new ListCursor(next, Inclusive: true);
                    jumped = true;
                    break;
                }

                entries.Add(new ListEntry<T>(row, null));
                cursor = cursorAfter(row);
                if (entries.Count == want)
                {
                    break;
                }
            }

            if (!jumped && seen < limit)
            {
                break;
            }
        }

        return entries;
    }

    /// <summary>The first cursor of a listing: just after the marker, or the start of the prefix if the marker sorts before it.</summary>
    public static ListCursor Start(string prefix, string? marker, string? markerTieBreak = null) =>
        marker is null || Utf8KeyOrder.Compare(marker, prefix) < 0
            ? new ListCursor(prefix, Inclusive: true)
            : new ListCursor(marker, Inclusive: false, markerTieBreak);
}
