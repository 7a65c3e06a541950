using System.Text;

namespace Tally.Analytics.Warehouse;

/// <summary>
/// Translates the Joda-Time patterns of Presto/Trino's <c>parse_datetime</c> and
/// <c>format_datetime</c> (what Athena runs, spec §7.3) into DuckDB's strptime/strftime specifiers.
/// </summary>
public static class JodaPattern
{
    /// <summary>
    /// The patterns the warehouse macros accept. DuckDB's strptime needs a constant format, so the
    /// macros are a CASE over this list (see <see cref="AthenaFunctions"/>); the first three are the
    /// ones in the AWS example queries.
    /// </summary>
    public static IReadOnlyList<string> Supported { get; } =
    [
        "dd/MMM/yyyy:HH:mm:ss Z",
        "yyyy-MM-dd:HH:mm:ss",
        "yyyy-MM-dd",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ssZ",
        "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
        "yyyy-MM-dd HH:mm:ss.SSS",
        "yyyy-MM-dd:HH",
        "yyyy/MM/dd",
        "yyyy/MM/dd HH:mm:ss",
        "yyyyMMdd",
        "dd/MMM/yyyy:HH:mm:ss",
        "dd/MMM/yyyy",
        "MM/dd/yyyy",
        "MM/dd/yyyy HH:mm:ss",
    ];

    /// <summary>The strptime/strftime format for a Joda pattern, e.g. <c>dd/MMM/yyyy</c> → <c>%d/%b/%Y</c>.</summary>
    /// <exception cref="FormatException">The pattern uses a Joda letter this translation does not know.</exception>
    public static string ToStrftime(string joda)
    {
        ArgumentNullException.ThrowIfNull(joda);
        var result = new StringBuilder(joda.Length * 2);
        var i = 0;
        while (i < joda.Length)
        {
            var c = joda[i];
            if (c == '\'')
            {
                // Joda quotes literal text; '' is a single quote.
                var end = joda.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw new FormatException($"Unterminated quote in Joda pattern '{joda}'.");
                }

                var literal = end == i + 1 ? "'" : joda[(i + 1)..end];
                result.Append(literal.Replace("%", "%%", StringComparison.Ordinal));
                i = end + 1;
                continue;
            }

            if (!char.IsAsciiLetter(c))
            {
                result.Append(c == '%' ? "%%" : c.ToString());
                i++;
                continue;
            }

            var run = 1;
            while (i + run < joda.Length && joda[i + run] == c)
            {
                run++;
            }

            result.Append(Specifier(c, run, joda));
            i += run;
        }

        return result.ToString();
    }

    private static string Specifier(char letter, int count, string joda) => (letter, count) switch
    {
        ('y', 2) => "%y",
        ('y', _) => "%Y",
        ('M', 1 or 2) => "%m",
        ('M', 3) => "%b",
        ('M', _) => "%B",
        ('d', _) => "%d",
        ('H', _) => "%H",
        ('h', _) => "%I",
        ('m', _) => "%M",
        ('s', _) => "%S",
        ('S', _) => "%g",
        ('a', _) => "%p",
        ('E', <= 3) => "%a",
        ('E', _) => "%A",
        ('Z', _) or ('z', _) => "%z",
        _ => throw new FormatException($"Joda letter '{new string(letter, count)}' in '{joda}' is not supported."),
    };
}
