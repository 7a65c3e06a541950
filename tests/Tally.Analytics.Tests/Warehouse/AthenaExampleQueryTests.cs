using System.Globalization;
using Tally.Analytics.Ingest;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Tests.Warehouse;

/// <summary>
/// The AWS example queries of spec §7.3, run verbatim (only the table name is ours) against a
/// fixture whose answers are worked out by hand in the comments beside each line.
/// </summary>
public sealed class AthenaExampleQueryTests : IAsyncLifetime, IDisposable
{
    internal const string O = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
    internal const string H = "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=";
    internal const string Tail = "SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader mybucket.s3.us-east-1.amazonaws.com TLSv1.2 - - us-east-1";

    // user_name = arn:aws:iam::123456789123:user/user_name
    private static readonly string[] Lines =
    [
        // L1 user_name DELETEs images/picture.jpg, 2017-02-18 07:30
        $"{O} mybucket [18/Feb/2017:07:30:00 +0000] 192.0.2.1 arn:aws:iam::123456789123:user/user_name 0000000000000001 REST.DELETE.OBJECT images/picture.jpg \"DELETE /images/picture.jpg HTTP/1.1\" 204 - - - 20 - \"-\" \"aws-cli/2.0\" - {H} {Tail}",
        // L2 anonymous GET of images/picture.jpg, 2017-02-18 07:10, 1000 bytes
        $"{O} mybucket [18/Feb/2017:07:10:00 +0000] 192.0.2.1 - 0000000000000002 REST.GET.OBJECT images/picture.jpg \"GET /images/picture.jpg HTTP/1.1\" 200 - 1000 1000 10 5 \"-\" \"curl/8.0\" - {H} - ECDHE-RSA-AES128-GCM-SHA256 - mybucket.s3.us-east-1.amazonaws.com TLSv1.2 - - us-east-1",
        // L3 user_name PUTs prefix/images/picture.jpg with SigV2, 2017-02-18 07:59:59 (inside 07:00–08:00)
        $"{O} mybucket [18/Feb/2017:07:59:59 +0000] 192.0.2.9 arn:aws:iam::123456789123:user/user_name 0000000000000003 REST.PUT.OBJECT prefix/images/picture.jpg \"PUT /prefix/images/picture.jpg HTTP/1.1\" 200 - - 2000 30 10 \"-\" \"aws-cli/2.0\" - {H} SigV2 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader mybucket.s3.us-east-1.amazonaws.com TLSv1.2 - - us-east-1",
        // L4 user_name GETs prefix/images/picture.jpg, 2017-02-18 08:00:01 (outside 07:00–08:00)
        $"{O} mybucket [18/Feb/2017:08:00:01 +0000] 192.0.2.9 arn:aws:iam::123456789123:user/user_name 0000000000000004 REST.GET.OBJECT prefix/images/picture.jpg \"GET /prefix/images/picture.jpg HTTP/1.1\" 200 - 500 2000 12 4 \"-\" \"aws-cli/2.0\" - {H} {Tail}",
        // L5 GET to 192.0.2.1, 2022-06-15, 2048 bytes (inside June 2022)
        $"{O} mybucket [15/Jun/2022:12:00:00 +0000] 192.0.2.1 - 0000000000000005 REST.GET.OBJECT data/a.bin \"GET /data/a.bin HTTP/1.1\" 200 - 2048 2048 8 3 \"-\" \"curl/8.0\" - {H} - ECDHE-RSA-AES128-GCM-SHA256 - mybucket.s3.us-east-1.amazonaws.com TLSv1.2 - - us-east-1",
        // L6 GET to 192.0.2.1, 2022-07-01 00:00:01 (after the BETWEEN upper bound 2022-07-01 00:00:00), 4096 bytes
        $"{O} mybucket [01/Jul/2022:00:00:01 +0000] 192.0.2.1 - 0000000000000006 REST.GET.OBJECT data/b.bin \"GET /data/b.bin HTTP/1.1\" 200 - 4096 4096 8 3 \"-\" \"curl/8.0\" - {H} - ECDHE-RSA-AES128-GCM-SHA256 - mybucket.s3.us-east-1.amazonaws.com TLSv1.2 - - us-east-1",
        // L7 503 SlowDown on 2024-01-29 (partition inside 2024/01/29–2024/01/30)
        $"{O} mybucket [29/Jan/2024:10:00:00 +0000] 203.0.113.5 arn:aws:iam::123456789123:user/batch 00000000000000A7 REST.PUT.OBJECT logs/x \"PUT /logs/x HTTP/1.1\" 503 SlowDown 300 - 5 5 \"-\" \"Boto3/1.34\" - {H} {Tail}",
        // L8 500 InternalError on 2024-01-31 (partition outside)
        $"{O} mybucket [31/Jan/2024:00:00:00 +0000] 203.0.113.5 arn:aws:iam::123456789123:user/batch 00000000000000A8 REST.PUT.OBJECT logs/y \"PUT /logs/y HTTP/1.1\" 500 InternalError 280 - 5 5 \"-\" \"Boto3/1.34\" - {H} {Tail}",
        // L9 assumed role PUT with an ACL required, 2019-07-01 12:00 (inside the 2019-07-01:00:42:42 window)
        $"{O} mybucket [01/Jul/2019:12:00:00 +0000] 198.51.100.7 arn:aws:sts::123456789012:assumed-role/Admin/session1 0000000000000009 REST.PUT.OBJECT docs/r.pdf \"PUT /docs/r.pdf HTTP/1.1\" 200 - - 4406583 41754 28 \"-\" \"S3Console/0.4\" - {H} SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader mybucket.s3.us-east-1.amazonaws.com TLSv1.2 - Yes us-east-1",
        // L10 GET at 2019-07-02 00:42:43, one second after the window
        $"{O} mybucket [02/Jul/2019:00:42:43 +0000] 198.51.100.7 arn:aws:sts::123456789012:assumed-role/Admin/session1 0000000000000010 REST.GET.OBJECT docs/r.pdf \"GET /docs/r.pdf HTTP/1.1\" 200 - 4406583 4406583 70 10 \"-\" \"S3Console/0.4\" - {H} {Tail}",
        // L11 GET at 2019-07-01 00:42:42, the window's inclusive lower bound
        $"{O} mybucket [01/Jul/2019:00:42:42 +0000] 198.51.100.7 arn:aws:sts::123456789012:assumed-role/Admin/session1 0000000000000011 REST.GET.OBJECT docs/r.pdf \"GET /docs/r.pdf HTTP/1.1\" 200 - 4406583 4406583 70 10 \"-\" \"S3Console/0.4\" - {H} {Tail}",
        // L12 anonymous DELETE of images/picture.jpg denied, 2017-02-20
        $"{O} mybucket [20/Feb/2017:09:00:00 +0000] 192.0.2.66 - 0000000000000012 REST.DELETE.OBJECT images/picture.jpg \"DELETE /images/picture.jpg HTTP/1.1\" 403 AccessDenied 243 - 4 - \"-\" \"curl/8.0\" - {H} - ECDHE-RSA-AES128-GCM-SHA256 - mybucket.s3.us-east-1.amazonaws.com TLSv1.2 - - us-east-1",
    ];

    private readonly TestFiles _files = new();
    private readonly LogWarehouse _warehouse = LogWarehouse.OpenInMemory();

    public async Task InitializeAsync()
    {
        var path = _files.Write("mybucket/2024-01-31-00-00-00-ABCDEF", string.Join('\n', Lines) + "\n");
        var summary = await new LogIngestor(_warehouse).IngestAsync(DirectoryLogSource.Enumerate(path));
        Assert.Equal(Lines.Length, summary.LinesLoaded);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _warehouse.Dispose();
        _files.Dispose();
    }

    private List<string> Column(string sql, int ordinal = 0)
    {
        using var command = _warehouse.CreateCommand(sql);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(ordinal) ? "NULL" : Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    // All columns of one execution, joined with '|': a GROUP BY has no row order, so columns of
    // separate executions cannot be zipped.
    private List<string> Rows(string sql)
    {
        using var command = _warehouse.CreateCommand(sql);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    [Fact]
    public void Who_deleted_an_object_finds_the_two_deletes()
    {
        var rows = Column("SELECT requestdatetime, remoteip, requester, key FROM s3_access_logs_db.mybucket_logs WHERE key = 'images/picture.jpg' AND operation LIKE '%DELETE%';", 2);
        Assert.Equal(["-", "arn:aws:iam::123456789123:user/user_name"], rows.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Everything_an_IAM_user_did_is_three_requests()
    {
        var ids = Column("SELECT * FROM s3_access_logs_db.mybucket_logs WHERE requester='arn:aws:iam::123456789123:user/user_name';", 5);
        Assert.Equal(["0000000000000001", "0000000000000003", "0000000000000004"], ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Operations_on_a_key_in_a_time_window_use_parse_datetime_with_Joda_patterns()
    {
        var ids = Column("SELECT * FROM s3_access_logs_db.mybucket_logs WHERE Key='prefix/images/picture.jpg' AND parse_datetime(RequestDateTime,'dd/MMM/yyyy:HH:mm:ss Z') BETWEEN parse_datetime('2017-02-18:07:00:00','yyyy-MM-dd:HH:mm:ss') AND parse_datetime('2017-02-18:08:00:00','yyyy-MM-dd:HH:mm:ss');", 5);
        Assert.Equal(["0000000000000003"], ids);
    }

    [Fact]
    public void Bytes_sent_to_an_IP_in_a_period_is_2048()
    {
        Assert.Equal(["2048"], Column("SELECT coalesce(SUM(bytessent), 0) AS bytessenttotal FROM s3_access_logs_db.mybucket_logs WHERE remoteip='192.0.2.1' AND parse_datetime(requestdatetime,'dd/MMM/yyyy:HH:mm:ss Z') BETWEEN parse_datetime('2022-06-01','yyyy-MM-dd') AND parse_datetime('2022-07-01','yyyy-MM-dd');"));
    }

    [Fact]
    public void The_older_upload_download_totals_query_runs()
    {
        // L5 only: bytessent 2048, objectsize 2048.
        var sql = "SELECT SUM(bytessent) AS uploadTotal, SUM(objectsize) AS downloadTotal, SUM(bytessent+objectsize) AS Total FROM s3_access_logs_db.mybucket_logs WHERE RemoteIP='192.0.2.1' AND parse_datetime(RequestDateTime, 'dd/MMM/yyyy:HH:mm:ss Z') BETWEEN parse_datetime('2022-06-01','yyyy-MM-dd') AND parse_datetime('2022-07-01','yyyy-MM-dd');";
        Assert.Equal(["2048"], Column(sql, 0));
        Assert.Equal(["4096"], Column(sql, 2));
    }

    [Fact]
    public void Server_errors_in_a_partition_range_find_the_503()
    {
        var ids = Column("SELECT requestdatetime, key, httpstatus, errorcode, requestid, hostid FROM s3_access_logs_db.mybucket_logs WHERE httpstatus like '5%' AND timestamp BETWEEN '2024/01/29' AND '2024/01/30'", 4);
        Assert.Equal(["00000000000000A7"], ids);
    }

    [Fact]
    public void SigV2_users_group_by_requester_and_signature_version()
    {
        var rows = Rows("SELECT requester, sigv, count(sigv) AS sigcount FROM s3_access_logs_db.mybucket_logs GROUP BY requester, sigv;")
            .Order(StringComparer.Ordinal);
        // user_name: L1, L4 SigV4 and L3 SigV2; anonymous L2, L5, L6, L12 with sigv '-'; batch L7, L8; role L9–L11.
        Assert.Equal(
            [
                "-|-|4",
                "arn:aws:iam::123456789123:user/batch|SigV4|2",
                "arn:aws:iam::123456789123:user/user_name|SigV2|1",
                "arn:aws:iam::123456789123:user/user_name|SigV4|2",
                "arn:aws:sts::123456789012:assumed-role/Admin/session1|SigV4|3",
            ],
            rows);
    }

    [Fact]
    public void PUT_requests_in_a_window_find_the_role_upload()
    {
        var ids = Column("SELECT bucket_name, Requester, RemoteIP, Key, HTTPStatus, ErrorCode, RequestDateTime FROM s3_access_logs_db.mybucket_logs WHERE Operation='REST.PUT.OBJECT' AND parse_datetime(RequestDateTime,'dd/MMM/yyyy:HH:mm:ss Z') BETWEEN parse_datetime('2019-07-01:00:42:42','yyyy-MM-dd:HH:mm:ss') AND parse_datetime('2019-07-02:00:42:42','yyyy-MM-dd:HH:mm:ss')", 3);
        Assert.Equal(["docs/r.pdf"], ids);
    }

    [Fact]
    public void GET_requests_in_a_window_include_the_lower_bound_and_exclude_one_second_late()
    {
        var times = Column("SELECT bucket_name, Requester, RemoteIP, Key, HTTPStatus, ErrorCode, RequestDateTime FROM s3_access_logs_db.mybucket_logs WHERE Operation='REST.GET.OBJECT' AND parse_datetime(RequestDateTime,'dd/MMM/yyyy:HH:mm:ss Z') BETWEEN parse_datetime('2019-07-01:00:42:42','yyyy-MM-dd:HH:mm:ss') AND parse_datetime('2019-07-02:00:42:42','yyyy-MM-dd:HH:mm:ss')", 6);
        Assert.Equal(["01/Jul/2019:00:42:42 +0000"], times);
    }

    [Fact]
    public void Anonymous_requests_are_the_dash_requester_as_in_Athena_and_IS_NULL_finds_none()
    {
        const string Window = " AND parse_datetime(RequestDateTime,'dd/MMM/yyyy:HH:mm:ss Z') BETWEEN parse_datetime('2017-02-18:00:00:00','yyyy-MM-dd:HH:mm:ss') AND parse_datetime('2017-02-21:00:00:00','yyyy-MM-dd:HH:mm:ss')";
        // spec §9.21: the documented IS NULL query returns nothing under RegexSerDe, which keeps '-'.
        Assert.Empty(Column("SELECT bucket_name, Requester, RemoteIP, Key, HTTPStatus, ErrorCode, RequestDateTime FROM s3_access_logs_db.mybucket_logs WHERE Requester IS NULL" + Window));
        Assert.Equal(["192.0.2.1", "192.0.2.66"], Column("SELECT bucket_name, Requester, RemoteIP FROM s3_access_logs_db.mybucket_logs WHERE Requester = '-'" + Window, 2).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Requests_that_needed_an_ACL_find_one()
    {
        var keys = Column("SELECT bucket_name, requester, key, operation, aclrequired, requestdatetime FROM s3_access_logs_db.mybucket_logs WHERE aclrequired = 'Yes' AND parse_datetime(requestdatetime,'dd/MMM/yyyy:HH:mm:ss Z') BETWEEN parse_datetime('2019-07-01:00:42:42','yyyy-MM-dd:HH:mm:ss') AND parse_datetime('2019-07-02:00:42:42','yyyy-MM-dd:HH:mm:ss')", 2);
        Assert.Equal(["docs/r.pdf"], keys);
    }

    [Fact]
    public void Role_extraction_and_date_format_work_like_Presto()
    {
        Assert.Equal(["Admin"], Column("SELECT DISTINCT regexp_extract(requester, '.*assumed-role/([^/]+)', 1) FROM s3_access_logs_db.mybucket_logs WHERE requester LIKE '%assumed-role%'"));
        Assert.Equal(["2017-02-18 07:30"], Column("SELECT date_format(parse_datetime(requestdatetime,'dd/MMM/yyyy:HH:mm:ss Z'), '%Y-%m-%d %H:%i') FROM s3_access_logs_db.mybucket_logs WHERE requestid = '0000000000000001'"));
    }
}
