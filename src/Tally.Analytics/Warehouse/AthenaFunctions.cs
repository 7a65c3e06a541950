using System.Text;

namespace Tally.Analytics.Warehouse;

/// <summary>
/// DuckDB macros with the names and meaning of the Presto/Trino functions the AWS example queries
/// use (spec §7.3), so those queries run verbatim: <c>parse_datetime</c> and <c>format_datetime</c>
/// (Joda patterns), <c>date_format</c> and <c>date_parse</c> (MySQL-style specifiers).
/// </summary>
/// <remarks>
/// Presto returns <c>timestamp with time zone</c> from <c>parse_datetime</c>; a pattern without a
/// zone is read in the session zone, which is UTC in Athena. The warehouse sets DuckDB's TimeZone to
/// UTC on every connection so the same comparisons give the same answers.
/// DuckDB's strptime/strftime need a constant format, which a macro parameter is not, so the Joda
/// macros are a CASE over <see cref="JodaPattern.Supported"/> and name the pattern in an error
/// otherwise. <c>date_format</c> needs no list: it substitutes each specifier with strftime of one
/// constant specifier.
/// </remarks>
public static class AthenaFunctions
{
    // MySQL specifier → DuckDB strftime specifier (Presto's date_format table).
    private static readonly (string MySql, string DuckDb)[] MySqlSpecifiers =
    [
        ("%Y", "%Y"), ("%y", "%y"), ("%m", "%m"), ("%c", "%-m"), ("%d", "%d"), ("%e", "%-d"),
        ("%H", "%H"), ("%k", "%-H"), ("%h", "%I"), ("%I", "%I"), ("%l", "%-I"), ("%i", "%M"),
        ("%s", "%S"), ("%S", "%S"), ("%f", "%f"), ("%p", "%p"), ("%a", "%a"), ("%W", "%A"),
        ("%b", "%b"), ("%j", "%j"), ("%T", "%H:%M:%S"), ("%r", "%I:%M:%S %p"),
        // Last: %M is the month name in MySQL but the minute in strftime; no earlier replacement
        // value contains a '%', so nothing already substituted is read again.
        ("%M", "%B"),
    ];

    private static readonly string[] MySqlParsePatterns =
    [
        "%Y-%m-%d %H:%i:%s", "%Y-%m-%d %H:%i", "%Y-%m-%d", "%d/%b/%Y:%H:%i:%s", "%Y/%m/%d", "%Y%m%d",
    ];

    /// <summary>The CREATE MACRO statements, in order; <paramref name="temporary"/> macros live in the session only.</summary>
    public static IReadOnlyList<string> CreateStatements(bool temporary = false) =>
    [
        .. new[]
        {
            JodaMacro("parse_datetime", "s", (format, arg) => $"CAST(strptime({arg}, {format}) AS TIMESTAMPTZ)"),
            JodaMacro("format_datetime", "ts", (format, arg) => $"strftime(CAST({arg} AS TIMESTAMP), {format})"),
            DateFormatMacro(),
            DateParseMacro(),
        }.Select(sql => temporary ? sql.Replace("CREATE OR REPLACE MACRO", "CREATE OR REPLACE TEMP MACRO", StringComparison.Ordinal) : sql),
    ];

    private static string JodaMacro(string name, string arg, Func<string, string, string> apply)
    {
        var sql = new StringBuilder($"CREATE OR REPLACE MACRO {name}({arg}, fmt) AS CASE fmt");
        foreach (var pattern in JodaPattern.Supported)
        {
            sql.Append($" WHEN {Literal(pattern)} THEN {apply(Literal(JodaPattern.ToStrftime(pattern)), arg)}");
        }

        sql.Append($" ELSE error('{name}: unsupported Joda pattern ''' || fmt || '''; supported: ");
        sql.Append(string.Join(", ", JodaPattern.Supported).Replace("'", "''", StringComparison.Ordinal));
        sql.Append("') END");
        return sql.ToString();
    }

    private static string DateFormatMacro()
    {
        var expression = "fmt";
        foreach (var (mySql, duckDb) in MySqlSpecifiers)
        {
            expression = $"replace({expression}, {Literal(mySql)}, strftime(CAST(ts AS TIMESTAMP), {Literal(duckDb)}))";
        }

        return $"CREATE OR REPLACE MACRO date_format(ts, fmt) AS {expression}";
    }

    private static string DateParseMacro()
    {
        var sql = new StringBuilder("CREATE OR REPLACE MACRO date_parse(s, fmt) AS CASE fmt");
        foreach (var pattern in MySqlParsePatterns)
        {
            var strptime = pattern.Replace("%i", "%M", StringComparison.Ordinal).Replace("%s", "%S", StringComparison.Ordinal);
            sql.Append($" WHEN {Literal(pattern)} THEN strptime(s, {Literal(strptime)})");
        }

        sql.Append(" ELSE error('date_parse: unsupported format ''' || fmt || '''') END");
        return sql.ToString();
    }

    internal static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
