using DuckDB.NET.Data;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Tests.Warehouse;

public sealed class PrestoFunctionTests : IDisposable
{
    private readonly LogWarehouse _warehouse = LogWarehouse.OpenInMemory();

    public void Dispose() => _warehouse.Dispose();

    [Theory]
    [InlineData("dd/MMM/yyyy:HH:mm:ss Z", "%d/%b/%Y:%H:%M:%S %z")]
    [InlineData("yyyy-MM-dd:HH:mm:ss", "%Y-%m-%d:%H:%M:%S")]
    [InlineData("yyyy-MM-dd'T'HH:mm:ss.SSSZ", "%Y-%m-%dT%H:%M:%S.%g%z")]
    [InlineData("'at' h a, EEEE", "at %I %p, %A")]
    public void Joda_patterns_translate_to_strftime(string joda, string strftime) =>
        Assert.Equal(strftime, JodaPattern.ToStrftime(joda));

    [Fact]
    public void An_unknown_Joda_letter_is_named_in_the_error() =>
        Assert.Contains("'G'", Assert.Throws<FormatException>(() => JodaPattern.ToStrftime("G yyyy")).Message, StringComparison.Ordinal);

    [Fact]
    public void Every_supported_pattern_parses_what_format_datetime_writes()
    {
        foreach (var pattern in JodaPattern.Supported)
        {
            var sql = $"SELECT parse_datetime(format_datetime(TIMESTAMP '2024-03-07 09:05:04', '{pattern.Replace("'", "''", StringComparison.Ordinal)}'), '{pattern.Replace("'", "''", StringComparison.Ordinal)}') IS NOT NULL";
            Assert.Equal(true, _warehouse.Scalar(sql));
        }
    }

    [Fact]
    public void Parse_datetime_honours_the_zone_of_the_log_time()
    {
        Assert.Equal(
            new DateTime(2019, 2, 6, 9, 0, 38),
            _warehouse.Scalar("SELECT CAST(parse_datetime('06/Feb/2019:10:00:38 +0100', 'dd/MMM/yyyy:HH:mm:ss Z') AS TIMESTAMP)"));
    }

    [Fact]
    public void Date_format_takes_MySQL_specifiers_like_Presto()
    {
        Assert.Equal("2024-03-07 09:05:04 March Thursday", _warehouse.Scalar("SELECT date_format(TIMESTAMP '2024-03-07 09:05:04', '%Y-%m-%d %H:%i:%s %M %W')"));
        Assert.Equal(new DateTime(2024, 3, 7, 9, 5, 4), _warehouse.Scalar("SELECT date_parse('2024-03-07 09:05:04', '%Y-%m-%d %H:%i:%s')"));
    }

    [Fact]
    public void An_unsupported_pattern_fails_with_a_message_naming_it()
    {
        var error = Assert.Throws<DuckDBException>(() => _warehouse.Scalar("SELECT parse_datetime('2024', 'yyyy')"));
        Assert.Contains("unsupported Joda pattern 'yyyy'", error.Message, StringComparison.Ordinal);
    }
}
