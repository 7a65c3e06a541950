using Tally.AccessLogs.Records;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Ingest;

/// <summary>
/// Writes parsed lines as staging rows of <c>access_logs</c> (<see cref="WarehouseSchema.StoredAccessLogColumns"/>,
/// in order), and rejected lines as rows of <c>rejected_lines</c>. One per ingest worker (not thread-safe).
/// </summary>
internal sealed class AccessLogRowWriter
{
    // Rejected lines are kept for inspection, not for replay; a bounded prefix is enough.
    internal const int MaxRejectedLineChars = 16 * 1024;

    // Requesters come from a small vocabulary (a few principals per account); splitting each ARN
    // once per worker instead of once per line. Bounded so a log of random requesters cannot grow it.
    private const int MaxCachedRequesters = 4096;
    private readonly Dictionary<string, RequesterIdentity?> _requesters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RequesterIdentity?>.AlternateLookup<ReadOnlySpan<char>> _requesterLookup;

    public AccessLogRowWriter() => _requesterLookup = _requesters.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Writes one row. <paramref name="asciiLine"/> is the line's bytes when it is all ASCII (else
    /// empty): its fields are then copied as bytes instead of being encoded to UTF-8 again.
    /// </summary>
    public void Append(StagingWriter rows, ParsedAccessLogLine parsed, string sourceFile, long lineNumber, ReadOnlySpan<byte> asciiLine = default)
    {
        var record = parsed.Record;
        var bytes = asciiLine.Length == parsed.Line.Length;

        // Athena's columns hold the logged text (spec §7.1): the parser's raw field values.
        foreach (var field in AccessLogFields.All)
        {
            switch (field.Field)
            {
                case AccessLogField.BytesSent:
                    rows.Number(record.BytesSent);
                    break;
                case AccessLogField.ObjectSize:
                    rows.Number(record.ObjectSize);
                    break;
                default:
                    if (!parsed.Has(field.Field))
                    {
                        rows.Null();
                    }
                    else if (bytes)
                    {
                        // The raw value is a slice of the line; the same slice of the ASCII bytes is its UTF-8.
                        var raw = parsed.RawSpan(field.Field);
                        parsed.Line.AsSpan().Overlaps(raw, out var offset);
                        rows.Utf8Text(asciiLine.Slice(offset, raw.Length));
                    }
                    else
                    {
                        rows.Text(parsed.RawSpan(field.Field));
                    }

                    break;
            }
        }

        rows.Timestamp(record.Time.UtcDateTime);
        rows.Text(record.Key);
        var requester = Requester(parsed);
        rows.Text(requester?.Type);
        rows.Text(requester?.Account);
        rows.Text(requester?.User);
        rows.Text(requester?.Role);
        rows.Text(requester?.Session);
        rows.Number(parsed.FieldCount);
        rows.Text(sourceFile);
        rows.Number(lineNumber);
        rows.EndRow();
    }

    public static void AppendRejected(StagingWriter rejects, string sourceFile, long lineNumber, string reason, string line)
    {
        rejects.Text(sourceFile);
        rejects.Number(lineNumber);
        rejects.Text(reason);
        rejects.Text(line.Length > MaxRejectedLineChars ? line.AsSpan(0, MaxRejectedLineChars) : line);
        rejects.EndRow();
    }

    private RequesterIdentity? Requester(ParsedAccessLogLine parsed)
    {
        if (!parsed.Has(AccessLogField.Requester))
        {
            return null;
        }

        var raw = parsed.RawSpan(AccessLogField.Requester);
        if (_requesterLookup.TryGetValue(raw, out var identity))
        {
            return identity;
        }

        var text = raw.ToString();
        identity = RequesterIdentity.Parse(text);
        if (_requesters.Count < MaxCachedRequesters)
        {
            _requesters[text] = identity;
        }

        return identity;
    }
}
