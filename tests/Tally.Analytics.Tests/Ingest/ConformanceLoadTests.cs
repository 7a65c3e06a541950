using System.Globalization;
using System.Text.Json;
using Tally.Analytics.Ingest;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Tests.Ingest;

public sealed class ConformanceLoadTests
{
    private static async Task<(LogWarehouse Warehouse, IngestSummary Summary)> LoadAsync(string relative)
    {
        var warehouse = LogWarehouse.OpenInMemory();
        var summary = await new LogIngestor(warehouse).IngestAsync(DirectoryLogSource.Enumerate(TestFiles.Conformance(relative)));
        return (warehouse, summary);
    }

    private static Dictionary<string, object?> Row(LogWarehouse warehouse, string where)
    {
        using var command = warehouse.CreateCommand($"SELECT * FROM access_logs WHERE {where}");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), "no row where " + where);
        var row = new Dictionary<string, object?>();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        Assert.False(reader.Read(), "more than one row where " + where);
        return row;
    }

    [Fact]
    public async Task Every_NCBI_line_loads_with_the_values_of_NCBI_expected_output()
    {
        var (warehouse, summary) = await LoadAsync("ncbi-logging/aws_testlines.log");
        using var _ = warehouse;
        var expected = File.ReadAllLines(TestFiles.Conformance("ncbi-logging/expected/aws_testlines/out.good.jsonl"));
        Assert.Equal(expected.Length, summary.LinesLoaded);
        Assert.Equal(0, summary.LinesRejected);

        // NCBI writes "" where the log has "-" (conformance README): compare values, not schemas.
        static string? Dash(object? value) => value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture) is "-" ? string.Empty : Convert.ToString(value, CultureInfo.InvariantCulture);
        for (var i = 0; i < expected.Length; i++)
        {
            using var json = JsonDocument.Parse(expected[i]);
            string E(string name) => json.RootElement.GetProperty(name).GetString()!;
            var row = Row(warehouse, $"line_number = {i + 1}");
            Assert.Equal(E("time"), "[" + row["requestdatetime"] + "]");
            Assert.Equal(E("owner"), row["bucketowner"]);
            Assert.Equal(E("bucket"), row["bucket_name"]);
            Assert.Equal(E("ip"), row["remoteip"]);
            Assert.Equal(E("requester"), Dash(row["requester"]));
            Assert.Equal(E("request_id"), row["requestid"]);
            Assert.Equal(E("operation"), row["operation"]);
            Assert.Equal(E("res_code"), Dash(row["httpstatus"]));
            Assert.Equal(E("error"), Dash(row["errorcode"]));
            Assert.Equal(E("res_len"), row["bytessent"] is null ? string.Empty : Convert.ToString(row["bytessent"], CultureInfo.InvariantCulture));
            Assert.Equal(E("obj_size"), row["objectsize"] is null ? string.Empty : Convert.ToString(row["objectsize"], CultureInfo.InvariantCulture));
            Assert.Equal(E("total_time"), Dash(row["totaltime"]));
            Assert.Equal(E("turnaround_time"), Dash(row["turnaroundtime"]));
            Assert.Equal(E("agent"), row["user_agent"] as string ?? string.Empty);
            Assert.Equal(E("sig_ver"), Dash(row["sigv"]));
            Assert.Equal(E("cipher_suite"), Dash(row["ciphersuite"]));
            Assert.Equal(E("auth_type"), Dash(row["authtype"]));
            Assert.Equal(E("host_header"), Dash(row["endpoint"]));
            Assert.Equal(E("tls_version"), Dash(row["tlsversion"]));
            Assert.Equal(E("host_id"), row["hostid"]);
        }
    }

    [Fact]
    public async Task The_current_27_field_documentation_line_fills_every_Athena_column()
    {
        var (warehouse, summary) = await LoadAsync("awsdocs-s3-userguide/current-docs-27field-example.log");
        using var _ = warehouse;
        Assert.Equal(1, summary.LinesLoaded);
        var row = Row(warehouse, "true");
        Assert.Equal("06/Feb/2019:00:00:38 +0000", row["requestdatetime"]);
        Assert.Equal("\"GET /amzn-s3-demo-bucket1?versioning HTTP/1.1\"", row["request_uri"]);
        Assert.Equal("200", row["httpstatus"]);
        Assert.Equal(113L, row["bytessent"]);
        Assert.Null(row["objectsize"]);
        Assert.Equal("7", row["totaltime"]);
        Assert.Equal("-", row["turnaroundtime"]);
        Assert.Equal("\"-\"", row["referrer"]);
        Assert.Equal("\"S3Console/0.4\"", row["useragent"]);
        Assert.Equal("TLSV1.2", row["tlsversion"]);
        Assert.Equal("arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP", row["accesspointarn"]);
        Assert.Equal("Yes", row["aclrequired"]);
        Assert.Equal("us-east-1", row["sourceregion"]);
        Assert.Equal("2019/02/06", row["timestamp"]);
        Assert.Equal(new DateTime(2019, 2, 6, 0, 0, 38), row["event_time"]);
        Assert.Equal(200, row["http_status_code"]);
        Assert.Equal(true, row["acl_required"]);
        Assert.Equal(27, row["field_count"]);
        Assert.Equal("canonical-user", row["requester_type"]);
    }

    [Fact]
    public async Task Short_18_field_lines_load_with_the_tail_columns_null_as_Athena_gives()
    {
        var (warehouse, summary) = await LoadAsync("logstash-patterns-core/s3_access_log.log");
        using var _ = warehouse;
        Assert.Equal(3, summary.LinesLoaded);
        var row = Row(warehouse, "requestid = '7ACC4BE89EXAMPLE'");
        Assert.Equal("304", row["httpstatus"]);
        Assert.Equal("-", row["requester"]);
        Assert.Equal("anonymous", row["requester_type"]);
        Assert.Equal(1718L, row["objectsize"]);
        Assert.Null(row["hostid"]);
        Assert.Null(row["sourceregion"]);
        Assert.Equal(18, row["field_count"]);
    }

    [Fact]
    public async Task The_truncated_OTel_line_is_rejected_and_kept_with_its_reason()
    {
        var (warehouse, summary) = await LoadAsync("otel-collector-contrib/too_few_values.log");
        using var _ = warehouse;
        Assert.Equal(1, summary.LinesRead);
        Assert.Equal(0, summary.LinesLoaded);
        Assert.Equal(1, summary.LinesRejected);
        Assert.Equal(1, warehouse.Count("SELECT count(*) FROM rejected_lines WHERE line_number = 1 AND length(reason) > 0 AND line LIKE '79a59df9%'"));
    }

    [Fact]
    public async Task A_line_with_an_unknown_28th_field_loads_and_ignores_it()
    {
        var (warehouse, summary) = await LoadAsync("otel-collector-contrib/too_many_values.log");
        using var _ = warehouse;
        Assert.Equal(1, summary.LinesLoaded);
        Assert.Equal(28, warehouse.Count("SELECT field_count FROM access_logs"));
    }
}
