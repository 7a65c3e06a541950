using System.Globalization;
using Tally.AccessLogs.Records;
using Tally.Analytics.Ingest;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Tests.Ingest;

/// <summary>
/// The typed columns (stored or computed by DuckDB from the Athena columns) hold what the parser's
/// record says, line by line: the expected values come from <see cref="AccessLogParser"/>, not from SQL.
/// </summary>
public sealed class TypedColumnTests : IDisposable
{
    private const string O = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string Edge(string requestUri, string status, string referer, string userAgent, string acl) =>
        $"{O} b [06/Feb/2019:23:59:59 -0130] 192.0.2.3 - 00000000000000AA REST.GET.OBJECT k {requestUri} {status} - 10 10 7 2 {referer} {userAgent} - hostid= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader b.s3.amazonaws.com TLSv1.2 - {acl} us-east-1";

    // Header and request-line forms the parser accepts: quoted, "-", bare -, empty quotes, an
    // unquoted Referer token, a request line with no space or a leading space, odd statuses and zones.
    private static readonly string[] EdgeLines =
    [
        Edge("\"GET /k HTTP/1.1\"", "200", "\"-\"", "\"curl/8.0\"", "Yes"),
        Edge("-", "-", "-", "-", "-"),
        Edge("\"-\"", "0304", "\"\"", "\"\"", "yes"),
        Edge("\" GET /k\"", "404", "https://example.com/a\"b", "\"Mozilla \"quoted\" é\"", "-"),
        Edge("\"GETé\"", "503", "\"https://example.com/ \"", "\"-\"", "YES"),
        $"{O} b [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 00000000000000AB REST.GET.OBJECT k \"GET /k HTTP/1.1\" 200 - 10 10 7 2 \"-\" \"curl/8.0\" -",
    ];

    [Fact]
    public async Task Typed_columns_agree_with_the_parser_on_every_conformance_and_edge_line()
    {
        var sources = new[]
        {
            "ncbi-logging/aws_testlines.log",
            "awsdocs-s3-userguide/current-docs-27field-example.log",
            "awsdocs-s3-userguide/LogFormat-examples.log",
            "logstash-patterns-core/s3_access_log.log",
            "otel-collector-contrib/too_many_values.log",
        };
        foreach (var source in sources)
        {
            File.Copy(TestFiles.Conformance(source), Path.Combine(_files.Directory, source.Replace('/', '_')));
        }

        _files.Write("edge.log", string.Join('\n', EdgeLines) + "\n");
        using var warehouse = LogWarehouse.OpenInMemory();
        var summary = await new LogIngestor(warehouse).IngestAsync(DirectoryLogSource.Enumerate(_files.Directory));
        Assert.True(summary.LinesLoaded >= 25, summary.ToString());

        var checkedLines = 0;
        foreach (var file in Directory.EnumerateFiles(_files.Directory))
        {
            var lines = File.ReadAllText(file).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (!AccessLogParser.TryParseLine(lines[i], out var parsed, out _))
                {
                    continue;
                }

                var row = Row(warehouse, file, i + 1);
                var record = parsed.Record;
                var where = $"{Path.GetFileName(file)}:{i + 1}";
                var time = record.Time.UtcDateTime;
                Assert.True(Equals(time, row["event_time"]), where);
                Assert.True(Equals(DateOnly.FromDateTime(time), row["event_date"]), where);
                Assert.True(Equals(time.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture), row["timestamp"]), where);
                Assert.True(Equals(record.HttpStatus, row["http_status_code"]), where);
                Assert.True(Equals(record.TotalTime, row["total_time_ms"]), where);
                Assert.True(Equals(record.TurnAroundTime, row["turnaround_time_ms"]), where);
                Assert.True(Equals(record.Key, row["key_decoded"]), where);
                Assert.True(Equals(Method(record.RequestUri), row["request_method"]), $"{where} method of {record.RequestUri}");
                Assert.True(Equals(Header(record.Referer), row["referer"]), $"{where} referer {record.Referer}");
                Assert.True(Equals(Header(record.UserAgent), row["user_agent"]), $"{where} user agent {record.UserAgent}");
                Assert.True(Equals(parsed.Has(AccessLogField.AclRequired) ? record.AclRequired : null, row["acl_required"]), where);
                var requester = RequesterIdentity.Parse(parsed.Raw(AccessLogField.Requester));
                Assert.True(Equals(requester?.Type, row["requester_type"]), where);
                Assert.True(Equals(requester?.Role, row["requester_role"]), where);
                Assert.True(Equals(parsed.FieldCount, row["field_count"]), where);
                foreach (var field in AccessLogFields.All.Where(f => f.AthenaType != "BIGINT"))
                {
                    Assert.True(Equals(parsed.Raw(field.Field), row[field.AthenaColumn]), $"{where} {field.AthenaColumn}");
                }

                checkedLines++;
            }
        }

        Assert.Equal(summary.LinesLoaded, checkedLines);
    }

    private static string? Method(string? requestUri)
    {
        if (requestUri is null or "-")
        {
            return null;
        }

        var space = requestUri.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? requestUri[..space] : null;
    }

    private static string? Header(string? value) => value is null or "-" ? null : value;

    private static Dictionary<string, object?> Row(LogWarehouse warehouse, string file, long line)
    {
        using var command = warehouse.CreateCommand($"SELECT * FROM access_logs WHERE source_file = {AthenaFunctions.Literal(file)} AND line_number = {line}");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), $"no row for {file}:{line}");
        var row = new Dictionary<string, object?>();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return row;
    }
}
