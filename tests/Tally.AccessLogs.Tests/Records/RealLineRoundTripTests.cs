using Tally.AccessLogs.Records;
using Tally.AccessLogs.Tests.Conformance;

namespace Tally.AccessLogs.Tests.Records;

/// <summary>
/// Every accepted conformance line: parse → format → parse gives the same record, and formatting the
/// parsed record with the line's own field count reproduces AWS's bytes. The only differences are
/// ones we intend: a trailing space (awsdocs example 3) is not written, and unknown trailing fields
/// (the OTel ExtraUnknownField) are dropped.
/// </summary>
public sealed class RealLineRoundTripTests
{
    public static TheoryData<string, int> Lines()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, number, _) in ConformanceFiles.AcceptedLines())
        {
            data.Add(file, number);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Format_then_parse_gives_the_same_record(string file, int number)
    {
        var line = ConformanceFiles.ReadLines(file)[number - 1];
        var record = AccessLogParser.Parse(line);

        var again = AccessLogParser.Parse(AccessLogFormatter.Format(record));

        Assert.Equal(record, again);
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Formatting_the_parsed_record_reproduces_the_line_byte_for_byte(string file, int number)
    {
        var line = ConformanceFiles.ReadLines(file)[number - 1];
        Assert.True(AccessLogParser.TryParseLine(line, out var parsed, out var error), error);

        var expected = WithoutTrailingSpaceAndUnknownFields(line, parsed.FieldCount);

        Assert.Equal(expected, AccessLogFormatter.Format(parsed.Record, Math.Min(parsed.FieldCount, AccessLogFields.Current)));
    }

    [Fact]
    public void Every_conformance_folder_contributes_lines()
    {
        var files = ConformanceFiles.AcceptedLines().Select(l => l.File.Split('/')[0]).Distinct().Order();

        Assert.Equal(["awsdocs-s3-userguide", "logstash-patterns-core", "ncbi-logging", "otel-collector-contrib"], files);
    }

    private static string WithoutTrailingSpaceAndUnknownFields(string line, int fieldCount)
    {
        var text = line.TrimEnd(' ');
        for (var extra = fieldCount - AccessLogFields.Current; extra > 0; extra--)
        {
            text = text[..text.LastIndexOf(' ')];
        }

        return text;
    }
}
