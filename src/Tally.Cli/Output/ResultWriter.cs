using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Tally.Cli.Output;

/// <summary>
/// Prints a query result as a Spectre table (at most <c>maxTableRows</c> rows: a table is for
/// reading), CSV (RFC 4180) or a JSON array of objects; CSV and JSON stream every row.
/// </summary>
internal static class ResultWriter
{
    public static async Task<long> WriteAsync(DbDataReader reader, OutputFormat format, TextWriter output, int maxTableRows, CancellationToken cancellationToken)
    {
        return format switch
        {
            OutputFormat.Csv => await WriteCsvAsync(reader, output, cancellationToken),
            OutputFormat.Json => await WriteJsonAsync(reader, output, cancellationToken),
            _ => WriteTable(reader, output, maxTableRows, title: null),
        };
    }

    public static long WriteTable(DbDataReader reader, TextWriter output, int maxTableRows, string? title)
    {
        var console = Console(output);
        var table = new Table().Border(TableBorder.Rounded);
        if (title is not null)
        {
            table.Title = new TableTitle(title, new Style(decoration: Decoration.Bold));
        }

        for (var i = 0; i < reader.FieldCount; i++)
        {
            table.AddColumn(new TableColumn(new Text(reader.GetName(i))));
        }

        long rows = 0;
        while (reader.Read())
        {
            rows++;
            if (rows <= maxTableRows)
            {
                var cells = new List<Text>(reader.FieldCount);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    cells.Add(reader.IsDBNull(i) ? new Text("NULL", new Style(Color.Grey)) : new Text(Format(reader.GetValue(i))));
                }

                table.AddRow(cells);
            }
        }

        if (reader.FieldCount > 0)
        {
            console.Write(table);
        }

        var shown = Math.Min(rows, maxTableRows);
        console.WriteLine(rows > shown
            ? string.Create(CultureInfo.InvariantCulture, $"{rows} rows ({rows - shown} not shown; use --format csv or json for all)")
            : string.Create(CultureInfo.InvariantCulture, $"{rows} row{(rows == 1 ? string.Empty : "s")}"));
        return rows;
    }

    private static IAnsiConsole Console(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (System.Console.IsOutputRedirected)
        {
            // Piped output has no terminal width; do not wrap wide log rows at 80 columns.
            console.Profile.Width = 240;
        }

        return console;
    }

    private static async Task<long> WriteCsvAsync(DbDataReader reader, TextWriter output, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            AppendCsv(line.Append(i == 0 ? string.Empty : ","), reader.GetName(i));
        }

        await output.WriteLineAsync(line, cancellationToken);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            line.Clear();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (i > 0)
                {
                    line.Append(',');
                }

                if (!reader.IsDBNull(i))
                {
                    AppendCsv(line, Format(reader.GetValue(i)));
                }
            }

            await output.WriteLineAsync(line, cancellationToken);
            rows++;
        }

        return rows;
    }

    private static void AppendCsv(StringBuilder line, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(value);
            return;
        }

        line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private static async Task<long> WriteJsonAsync(DbDataReader reader, TextWriter output, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false });
        json.WriteStartArray();
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            json.WriteStartObject();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var name = reader.GetName(i);
                if (reader.IsDBNull(i))
                {
                    json.WriteNull(name);
                    continue;
                }

                switch (reader.GetValue(i))
                {
                    case bool b: json.WriteBoolean(name, b); break;
                    case long l: json.WriteNumber(name, l); break;
                    case int n: json.WriteNumber(name, n); break;
                    case short s: json.WriteNumber(name, s); break;
                    case double d when double.IsFinite(d): json.WriteNumber(name, d); break;
                    case decimal m: json.WriteNumber(name, m); break;
                    case System.Numerics.BigInteger big: json.WriteNumber(name, (decimal)big); break;
                    case var other: json.WriteString(name, Format(other)); break;
                }
            }

            json.WriteEndObject();
            rows++;
            if (buffer.Length > 64 * 1024)
            {
                // Stream in pieces so a large result does not sit in memory.
                await json.FlushAsync(cancellationToken);
                await output.WriteAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).AsMemory(), cancellationToken);
                buffer.SetLength(0);
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(cancellationToken);
        await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).AsMemory(), cancellationToken);
        return rows;
    }

    private static string Format(object value) => value switch
    {
        DateTime t => t.ToString(t.TimeOfDay == TimeSpan.Zero && t.Kind == DateTimeKind.Unspecified ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFzzz", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d => d.ToString("G17", CultureInfo.InvariantCulture),
        float f => f.ToString("G9", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
