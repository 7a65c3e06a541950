using Tally.Analytics.Ingest;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Tests.Ingest;

public sealed class StagingWriterTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static readonly string?[] Values =
    [
        "plain",
        string.Empty,
        null,
        "tab\there",
        "line\nbreak",
        "carriage\rreturn",
        "\u0001quote\u0001 char\u0001",
        "\u0001",
        "nul\0byte",
        "\"quotes\" and \\backslash\\",
        "ünïcødé 🎉",
        "lone \ud800 surrogate",
        "-",
        "NULL",
        new string('x', 100_000),
    ];

    private List<string?> RoundTrip(IEnumerable<string?> values, Action<StagingWriter>? beforeClose = null, bool asUtf8 = false)
    {
        var path = Path.Combine(_files.Directory, "rows.tsv");
        using (var writer = new StagingWriter(path))
        {
            var n = 0;
            foreach (var value in values)
            {
                writer.Number(n++);
                if (asUtf8 && value is not null)
                {
                    writer.Utf8Text(System.Text.Encoding.UTF8.GetBytes(value));
                }
                else
                {
                    writer.Text(value);
                }

                writer.EndRow();
            }

            beforeClose?.Invoke(writer);
            writer.Flush();
        }

        using var warehouse = LogWarehouse.OpenInMemory();
        using var command = warehouse.CreateCommand(
            $"SELECT v FROM read_csv({AthenaFunctions.Literal(path)}, {StagingWriter.ReadCsvOptions}, max_line_size = 4194304, columns = {{'n': 'BIGINT', 'v': 'VARCHAR'}}) ORDER BY n");
        using var reader = command.ExecuteReader();
        var read = new List<string?>();
        while (reader.Read())
        {
            read.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }

        return read;
    }

    [Fact]
    public void Every_string_reads_back_from_DuckDB_as_written_and_null_stays_distinct_from_empty()
    {
        var expected = Values.Select(v => v?.Replace("\ud800", "\ufffd", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected, RoundTrip(Values));
    }

    [Fact]
    public void Every_string_given_as_utf8_bytes_reads_back_as_written()
    {
        var expected = Values.Select(v => v?.Replace("\ud800", "\ufffd", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected, RoundTrip(Values, asUtf8: true));
    }

    [Fact]
    public void Truncating_to_a_mark_drops_the_rows_written_after_it()
    {
        var path = Path.Combine(_files.Directory, "rows.tsv");
        var read = RoundTrip(["kept"], writer =>
        {
            var mark = writer.Length;
            for (var i = 0; i < 50_000; i++)
            {
                writer.Number(i);
                writer.Text("dropped, long enough to be flushed to the file before the cut");
                writer.EndRow();
            }

            writer.Truncate(mark);
            writer.Number(1);
            writer.Text("after");
            writer.EndRow();
        });
        Assert.Equal(["kept", "after"], read);
    }
}
