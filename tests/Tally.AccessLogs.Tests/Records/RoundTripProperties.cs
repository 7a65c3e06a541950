using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tally.AccessLogs.Records;

namespace Tally.AccessLogs.Tests.Records;

public sealed class RoundTripProperties
{
    [Property(Arbitrary = [typeof(RecordGenerators)], MaxTest = 2000)]
    public bool Format_then_parse_returns_the_same_record(AccessLogRecord record)
    {
        var line = AccessLogFormatter.Format(record);

        return AccessLogParser.TryParse(line, out var parsed, out var error)
            ? parsed == record
            : throw new InvalidOperationException($"{error}: {line}");
    }

    [Property(Arbitrary = [typeof(RecordGenerators)], MaxTest = 500)]
    public bool Format_with_26_fields_then_parse_loses_only_the_source_region(AccessLogRecord record)
    {
        var parsed = AccessLogParser.Parse(AccessLogFormatter.Format(record, fieldCount: 26));

        return parsed == record with { SourceRegion = null };
    }

    [Property(Arbitrary = [typeof(RecordGenerators)], MaxTest = 500)]
    public bool Formatted_record_is_one_line_of_valid_UTF_8(AccessLogRecord record)
    {
        var line = AccessLogFormatter.Format(record);

        return !line.Contains('\n', StringComparison.Ordinal) && !line.Contains('\r', StringComparison.Ordinal) && !line.Contains('\uFFFD', StringComparison.Ordinal);
    }

    [Property(MaxTest = 500)]
    public Property Parser_never_throws_on_a_cut_or_damaged_line()
    {
        var damaged =
            from record in RecordGenerators.RecordGen
            let line = AccessLogFormatter.Format(record)
            from cut in Gen.Choose(0, line.Length)
            from junk in Gen.Elements(string.Empty, "\"", " ", "[", "]", "\" 200 ", "-")
            select line[..cut] + junk;

        return Prop.ForAll(damaged.ToArbitrary(), line =>
        {
            // Either outcome is fine; an exception is not.
            _ = AccessLogParser.TryParse(line, out var record, out var error);
            return (record is null) != (error is null);
        });
    }

    [Property(MaxTest = 500)]
    public bool Parser_never_throws_on_arbitrary_text(string? text) =>
        AccessLogParser.TryParse(text ?? string.Empty, out var record, out var error) == (record is not null && error is null);

    [Property(Arbitrary = [typeof(RecordGenerators)], MaxTest = 1000)]
    public bool Key_encoding_is_undone_by_decoding_with_the_same_operation(AccessLogRecord record)
    {
        var key = record.Key ?? "k";
        var logged = AccessLogKey.Encode(key, record.Operation);

        return AccessLogKey.Decode(logged, record.Operation) == key && !logged.Contains(' ', StringComparison.Ordinal);
    }
}
