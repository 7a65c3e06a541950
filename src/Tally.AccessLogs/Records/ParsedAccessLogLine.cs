namespace Tally.AccessLogs.Records;

/// <summary>
/// A parsed line that keeps the logged text of each field next to the typed <see cref="Record"/>,
/// for loading into SQL with Athena's columns (spec §7.1).
/// </summary>
/// <remarks>
/// A field's raw text is what Athena's RegexSerDe captures: quoted fields keep their quotes
/// (<c>"GET / HTTP/1.1"</c>), Time has no brackets (<c>06/Feb/2019:00:00:38 +0000</c>), <c>-</c> stays
/// <c>-</c>, and Key is the logged (encoded) form. It is null when the line is too short to have
/// the field (older formats, spec §1.1).
/// </remarks>
public sealed class ParsedAccessLogLine
{
    private readonly FieldSpan[] _fields;

    internal ParsedAccessLogLine(string line, FieldSpan[] fields, int fieldCount, AccessLogRecord record)
    {
        Line = line;
        _fields = fields;
        FieldCount = fieldCount;
        Record = record;
    }

    public string Line { get; }

    /// <summary>Fields found in the line, counting unknown trailing ones (which are ignored).</summary>
    public int FieldCount { get; }

    public AccessLogRecord Record { get; }

    /// <summary>The Key field as logged; <see cref="AccessLogRecord.Key"/> has it decoded.</summary>
    public string? RawKey => Raw(AccessLogField.Key);

    public bool Has(AccessLogField field) => Slot(field).Length >= 0;

    public string? Raw(AccessLogField field) => Has(field) ? new string(RawSpan(field)) : null;

    /// <summary>The raw text without allocating; empty when the field is absent.</summary>
    public ReadOnlySpan<char> RawSpan(AccessLogField field) => Slot(field).Of(Line);

    private FieldSpan Slot(AccessLogField field)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan((int)field, 1, nameof(field));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((int)field, AccessLogFields.Current, nameof(field));
        return _fields[(int)field - 1];
    }
}
