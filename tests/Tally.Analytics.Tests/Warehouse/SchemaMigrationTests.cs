using DuckDB.NET.Data;
using Tally.Analytics.Ingest;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Tests.Warehouse;

public sealed class SchemaMigrationTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    // access_logs as layout 1 created it: every typed column stored, no warehouse_meta table.
    private const string Layout1 = """
        CREATE TABLE access_logs (bucketowner VARCHAR, bucket_name VARCHAR, requestdatetime VARCHAR, remoteip VARCHAR, requester VARCHAR,
            requestid VARCHAR, operation VARCHAR, "key" VARCHAR, request_uri VARCHAR, httpstatus VARCHAR, errorcode VARCHAR, bytessent BIGINT,
            objectsize BIGINT, totaltime VARCHAR, turnaroundtime VARCHAR, referrer VARCHAR, useragent VARCHAR, versionid VARCHAR, hostid VARCHAR,
            sigv VARCHAR, ciphersuite VARCHAR, authtype VARCHAR, endpoint VARCHAR, tlsversion VARCHAR, accesspointarn VARCHAR, aclrequired VARCHAR,
            sourceregion VARCHAR, "timestamp" VARCHAR, event_time TIMESTAMP, event_date DATE, http_status_code INTEGER, total_time_ms BIGINT,
            turnaround_time_ms BIGINT, key_decoded VARCHAR, request_method VARCHAR, referer VARCHAR, user_agent VARCHAR, requester_type VARCHAR,
            requester_account VARCHAR, requester_user VARCHAR, requester_role VARCHAR, requester_session VARCHAR, acl_required BOOLEAN,
            field_count INTEGER, source_file VARCHAR, line_number BIGINT);
        INSERT INTO access_logs VALUES ('owner', 'mybucket', '06/Feb/2019:00:00:38 +0000', '192.0.2.3', '-', 'REQ1', 'REST.GET.OBJECT',
            'a%2520b', '"GET /mybucket/a%20b HTTP/1.1"', '200', '-', 10, 10, '7', '2', '"-"', '"curl/8.0"', '-', 'host', 'SigV4', 'c', 'AuthHeader',
            'mybucket.s3.amazonaws.com', 'TLSv1.2', '-', 'Yes', 'us-east-1', '2019/02/06', TIMESTAMP '2019-02-06 00:00:38', DATE '2019-02-06',
            200, 7, 2, 'a b', 'GET', NULL, 'curl/8.0', 'anonymous', NULL, NULL, NULL, NULL, true, 27, '/logs/a', 1);
        CREATE TABLE loaded_files (file VARCHAR NOT NULL, size BIGINT NOT NULL, version VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL,
            lines_read BIGINT NOT NULL, lines_loaded BIGINT NOT NULL, lines_rejected BIGINT NOT NULL, PRIMARY KEY (file, size, version));
        """;

    [Fact]
    public async Task A_layout_1_warehouse_keeps_its_rows_and_computes_the_virtual_columns_after_opening()
    {
        var path = Path.Combine(_files.Directory, "warehouse.duckdb");
        using (var connection = new DuckDBConnection($"DataSource={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = Layout1;
            command.ExecuteNonQuery();
        }

        using var warehouse = LogWarehouse.Open(path);
        Assert.Equal("2", warehouse.Scalar("SELECT value FROM warehouse_meta WHERE name = 'schema_version'"));
        Assert.Equal(1, warehouse.Count("SELECT count(*) FROM access_logs WHERE requestid = 'REQ1' AND key_decoded = 'a b' AND user_agent = 'curl/8.0' AND request_method = 'GET' AND http_status_code = 200 AND acl_required AND \"timestamp\" = '2019/02/06'"));
        Assert.Equal(0, warehouse.Count("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'access_logs_v1'"));

        _files.Write("logs/b", "owner mybucket [06/Feb/2019:00:00:39 +0000] 192.0.2.3 - REQ2 REST.GET.OBJECT k \"GET /mybucket/k HTTP/1.1\" 404 NoSuchKey 10 - 7 - \"-\" \"curl/8.0\" -\n");
        var summary = await new LogIngestor(warehouse).IngestAsync(DirectoryLogSource.Enumerate(Path.Combine(_files.Directory, "logs")));
        Assert.Equal(1, summary.LinesLoaded);
        Assert.Equal(404, warehouse.Scalar("SELECT http_status_code FROM access_logs WHERE requestid = 'REQ2'"));
    }

    [Fact]
    public void A_warehouse_from_a_newer_layout_is_refused_with_a_clear_message()
    {
        var path = Path.Combine(_files.Directory, "warehouse.duckdb");
        using (var warehouse = LogWarehouse.Open(path))
        {
            warehouse.Execute("UPDATE warehouse_meta SET value = '99' WHERE name = 'schema_version'");
        }

        var error = Assert.Throws<NotSupportedException>(() => LogWarehouse.Open(path));
        Assert.Contains("layout 99", error.Message, StringComparison.Ordinal);
    }
}
