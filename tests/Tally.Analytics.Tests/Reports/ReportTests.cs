using System.Globalization;
using Tally.Analytics.Ingest;
using Tally.Analytics.Reports;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Tests.Reports;

/// <summary>Each report on a fixture whose answers are counted by hand from the lines below.</summary>
public sealed class ReportTests : IAsyncLifetime, IDisposable
{
    internal const string Alice = "arn:aws:iam::111122223333:user/alice";
    internal const string Mallory = "arn:aws:iam::111122223333:user/mallory";
    internal const string Uploader = "arn:aws:sts::111122223333:assumed-role/Uploader/s1";
    internal const long GiB = 1024L * 1024 * 1024;

    private readonly TestFiles _files = new();
    private readonly LogWarehouse _warehouse = LogWarehouse.OpenInMemory();
    private int _sequence;

    private string L(string time, string ip, string requester, string operation, string key, string status, string error = "-", string bytes = "-", string total = "5", string turnaround = "1", string sigv = "SigV4", string tls = "TLSv1.2", string acl = "-")
    {
        var uri = operation.StartsWith("REST.", StringComparison.Ordinal) ? $"\"{operation.Split('.')[1]} /b/{key} HTTP/1.1\"" : "-";
        return $"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be b [{time} +0000] {ip} {requester} {++_sequence:X16} {operation} {key} {uri} {status} {error} {bytes} - {total} {turnaround} \"-\" \"ua/{(requester == "-" ? "anon" : "sdk")}\" - host= {sigv} ECDHE-RSA-AES128-GCM-SHA256 AuthHeader b.s3.amazonaws.com {tls} - {acl} us-east-1";
    }

    public async Task InitializeAsync()
    {
        var lines = new List<string>();
        // 12 anonymous 404s on distinct keys from one IP: a prober.
        for (var i = 0; i < 12; i++)
        {
            lines.Add(L($"01/Mar/2024:10:{i:00}:00", "203.0.113.9", "-", "REST.GET.OBJECT", $"k{i:00}", "404", "NoSuchKey", "290", sigv: "-"));
        }

        // 3 denied GETs of one key by mallory.
        for (var i = 0; i < 3; i++)
        {
            lines.Add(L($"01/Mar/2024:11:0{i}:00", "198.51.100.1", Mallory, "REST.GET.OBJECT", "secret.txt", "403", "AccessDenied", "243"));
        }

        // Deletions: one DELETE, one DeleteObjects of two keys, one lifecycle expiration.
        lines.Add(L("01/Mar/2024:12:00:00", "192.0.2.10", Alice, "REST.DELETE.OBJECT", "a.txt", "204"));
        lines.Add(L("01/Mar/2024:12:05:00", "192.0.2.10", Alice, "REST.POST.MULTI_OBJECT_DELETE", "-", "200", bytes: "150"));
        lines.Add(L("01/Mar/2024:12:05:00", "192.0.2.10", Alice, "BATCH.DELETE.OBJECT", "b.txt", "204"));
        lines.Add(L("01/Mar/2024:12:05:00", "192.0.2.10", Alice, "BATCH.DELETE.OBJECT", "c.txt", "204"));
        lines.Add(L("02/Mar/2024:03:00:00", "-", "AmazonS3", "S3.EXPIRE.OBJECT", "old.log", "-", sigv: "-", tls: "-"));
        // Four PUTs by an assumed role, total times 10/20/30/40 ms; one SigV2, one without TLS.
        lines.Add(L("01/Mar/2024:13:00:00", "192.0.2.20", Uploader, "REST.PUT.OBJECT", "up/1", "200", total: "10"));
        lines.Add(L("01/Mar/2024:13:01:00", "192.0.2.20", Uploader, "REST.PUT.OBJECT", "up/2", "200", total: "20", sigv: "SigV2"));
        lines.Add(L("01/Mar/2024:13:02:00", "192.0.2.20", Uploader, "REST.PUT.OBJECT", "up/3", "200", total: "30", tls: "-"));
        lines.Add(L("01/Mar/2024:13:03:00", "192.0.2.20", Uploader, "REST.PUT.OBJECT", "up/4", "200", total: "40"));
        // Two 1 GiB downloads of big.bin by the role.
        lines.Add(L("01/Mar/2024:14:00:00", "192.0.2.20", Uploader, "REST.GET.OBJECT", "data/big.bin", "200", bytes: GiB.ToString(CultureInfo.InvariantCulture)));
        lines.Add(L("01/Mar/2024:14:30:00", "192.0.2.20", Uploader, "REST.GET.OBJECT", "data/big.bin", "200", bytes: GiB.ToString(CultureInfo.InvariantCulture)));
        // A LIST by alice and an anonymous GET that needed an ACL.
        lines.Add(L("01/Mar/2024:15:00:00", "192.0.2.10", Alice, "REST.GET.BUCKET", "-", "200", bytes: "500"));
        lines.Add(L("01/Mar/2024:15:10:00", "203.0.113.50", "-", "REST.GET.OBJECT", "public.html", "200", bytes: "100", sigv: "-", acl: "Yes"));

        var path = _files.Write("b/log", string.Join('\n', lines) + "\n");
        var summary = await new LogIngestor(_warehouse).IngestAsync(DirectoryLogSource.Enumerate(path));
        Assert.Equal(28, summary.LinesLoaded);
        AccessLogReports.PrepareScope(_warehouse, new ReportFilter(), PriceTable.Default);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _warehouse.Dispose();
        _files.Dispose();
    }

    private List<string[]> Run(ReportKind kind, int section)
    {
        var sql = AccessLogReports.Sections(kind)[section - 1].Sql;
        using var command = _warehouse.CreateCommand(sql);
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!)]);
        }

        return rows;
    }

    [Fact]
    public void Every_report_has_its_sections_with_titles()
    {
        Assert.Equal(6, AccessLogReports.Sections(ReportKind.Security).Count);
        Assert.Equal(5, AccessLogReports.Sections(ReportKind.Cost).Count);
        Assert.Equal(5, AccessLogReports.Sections(ReportKind.Traffic).Count);
        Assert.All(Enum.GetValues<ReportKind>().SelectMany(AccessLogReports.Sections), s => Assert.DoesNotContain("--", s.Title, StringComparison.Ordinal));
    }

    [Fact]
    public void Security_lists_the_denied_requests_by_requester_ip_and_operation()
    {
        var row = Assert.Single(Run(ReportKind.Security, 1));
        Assert.Equal([Mallory, "198.51.100.1", "REST.GET.OBJECT", "3"], row[..4]);
    }

    [Fact]
    public void Security_lists_anonymous_access()
    {
        var rows = Run(ReportKind.Security, 2);
        Assert.Equal(["203.0.113.9|REST.GET.OBJECT|404|12", "203.0.113.50|REST.GET.OBJECT|200|1"], rows.Select(r => string.Join('|', r[..4])));
    }

    [Fact]
    public void Security_lists_every_deletion_with_how_it_was_done()
    {
        var rows = Run(ReportKind.Security, 3).Select(r => $"{r[3]}|{r[6]}").ToList();
        Assert.Equal(
            ["a.txt|DELETE", "-|multi-object delete (request)", "b.txt|multi-object delete (per key)", "c.txt|multi-object delete (per key)", "old.log|lifecycle"],
            rows.Select(r => r.StartsWith("NULL", StringComparison.Ordinal) ? "-" + r[4..] : r));
    }

    [Fact]
    public void Security_lists_acl_required_weak_transport_and_probing_IPs()
    {
        Assert.Equal("-|REST.GET.OBJECT|1", string.Join('|', Assert.Single(Run(ReportKind.Security, 4))[..3]));
        var weak = Run(ReportKind.Security, 5).Select(r => $"{r[2]}|{r[3]}|{r[4]}").Order(StringComparer.Ordinal);
        // The lifecycle record has tls '-' too: S3 itself, no TLS (spec §2.6).
        Assert.Equal(["TLSv1.2|SigV2|1", "no TLS|-|1", "no TLS|SigV4|1"], weak);
        var prober = Assert.Single(Run(ReportKind.Security, 6));
        Assert.Equal(["203.0.113.9", "12", "12", "0", "12"], prober);
    }

    [Fact]
    public void Cost_counts_requests_per_AWS_price_class_with_default_prices()
    {
        var rows = Run(ReportKind.Cost, 1).ToDictionary(r => r[0], r => (Requests: long.Parse(r[1], CultureInfo.InvariantCulture), Usd: decimal.Parse(r[2], NumberStyles.Float, CultureInfo.InvariantCulture)));
        // GET/other: 12 + 3 + 2 + 1 = 18; PUT/COPY/POST/LIST: 4 PUT + 1 POST + 1 LIST = 6.
        Assert.Equal(18, rows["GET and all other"].Requests);
        Assert.Equal(6, rows["PUT, COPY, POST, LIST"].Requests);
        Assert.Equal(1, rows["free (DELETE, CANCEL)"].Requests);
        Assert.Equal(3, rows["not billed (internal record)"].Requests);
        Assert.Equal(0.0000072m, rows["GET and all other"].Usd);
        Assert.Equal(0.00003m, rows["PUT, COPY, POST, LIST"].Usd);
    }

    [Fact]
    public void Cost_lists_egress_by_client_largest_first_and_leaves_out_clients_without_egress()
    {
        var clients = Run(ReportKind.Cost, 2);
        // Uploader's two 1 GiB GETs; the prober's 12 × 290; mallory's 3 × 243; alice's POST 150 + LIST 500;
        // the anonymous 100. S3's own expiration record and the bodiless PUTs and DELETEs send nothing.
        Assert.Equal(
            [
                $"192.0.2.20|{Uploader}|{2 * GiB}",
                "203.0.113.9|-|3480",
                $"198.51.100.1|{Mallory}|729",
                $"192.0.2.10|{Alice}|650",
                "203.0.113.50|-|100",
            ],
            clients.Select(r => string.Join('|', r[..3])));
        Assert.Equal(0.18m, decimal.Parse(clients[0][3], NumberStyles.Float, CultureInfo.InvariantCulture));
        Assert.Equal(0.0000002917m, decimal.Parse(clients[1][3], NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Cost_attributes_egress_to_objects_prefixes_and_roles()
    {
        var top = Run(ReportKind.Cost, 3)[0];
        Assert.Equal(["data/big.bin", "2", (2 * GiB).ToString(CultureInfo.InvariantCulture), "0.18"], top);
        Assert.Equal("data/", Run(ReportKind.Cost, 4)[0][0]);
        var role = Run(ReportKind.Cost, 5)[0];
        // 4 PUTs at $0.005/1000, 2 GETs at $0.0004/1000, 2 GiB at $0.09/GB.
        Assert.Equal(["Uploader", "assumed-role", "111122223333", "6"], role[..4]);
        Assert.Equal(0.1800208m, decimal.Parse(role[5], NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Traffic_reports_hours_error_rates_and_latency_percentiles()
    {
        var hours = Run(ReportKind.Traffic, 1);
        Assert.Equal(28, hours.Sum(r => long.Parse(r[1], CultureInfo.InvariantCulture)));
        var tenOClock = hours.Single(r => r[0].StartsWith("2024-03-01 10:", StringComparison.Ordinal) || r[0].Contains("10:00:00", StringComparison.Ordinal));
        Assert.Equal(["12", "3480", "12", "0"], tenOClock[1..]);
        var put = Run(ReportKind.Traffic, 3).Single(r => r[0] == "REST.PUT.OBJECT");
        // quantile_cont over 10, 20, 30, 40: p50 = 25, p95 = 38.5, p99 = 39.7.
        Assert.Equal("4", put[1]);
        Assert.Equal([25, 38.5, 39.7], put[2..5].Select(v => Math.Round(double.Parse(v, CultureInfo.InvariantCulture), 9)));
    }

    [Fact]
    public void A_report_filter_narrows_by_time_and_bucket()
    {
        AccessLogReports.PrepareScope(_warehouse, new ReportFilter(Since: new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.Zero), Until: new DateTimeOffset(2024, 3, 1, 13, 0, 0, TimeSpan.Zero)), PriceTable.Default);
        Assert.Equal(4, _warehouse.Count("SELECT count(*) FROM report_logs"));
        AccessLogReports.PrepareScope(_warehouse, new ReportFilter(Bucket: "other"), PriceTable.Default);
        Assert.Equal(0, _warehouse.Count("SELECT count(*) FROM report_logs"));
    }
}
