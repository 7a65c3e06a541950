using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Amazon.S3;
using Amazon.S3.Model;
using Tally.AccessLogs.Delivery;
using Tally.AccessLogs.Records;

namespace Tally.Server.Tests.Logging;

/// <summary>Log objects: key formats, ownership, blocked delivery that keeps records, deliveries in the target's own log, options.</summary>
public sealed class LogDeliveryTests
{
    [Fact]
    public async Task Flush_writes_one_object_per_source_under_AWS_simple_key_format()
    {
        await using var server = await TallyServer.StartAsync();
        using var s3 = server.Client();
        await s3.PutBucketAsync("aaa");
        await s3.PutBucketAsync("bbb");
        await s3.PutBucketAsync("logs");
        await LogHarness.EnableAsync(s3, "aaa", "logs", "shared/");
        await LogHarness.EnableAsync(s3, "bbb", "logs", "shared/");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "aaa", Key = "1", ContentBody = "x" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "bbb", Key = "2", ContentBody = "y" });

        // A record is written when its response completes, just after the client saw the response,
        // and the background service may deliver a segment by itself: flush (bounded) until the
        // target holds both sources' log objects, and check every delivery the flushes report.
        var deliveries = new List<DeliveredLogObject>();
        for (var attempt = 0; attempt < 50 && (await LogHarness.ReadObjectsAsync(s3, "logs", "shared/")).Count < 2; attempt++)
        {
            var flushed = await LogHarness.FlushAsync(server);
            Assert.Empty(flushed.Errors);
            deliveries.AddRange(flushed.Delivered);
            await Task.Delay(20);
        }

        foreach (var delivered in deliveries)
        {
            Assert.Matches("^shared/[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9A-F]{16}$", delivered.Key);
        }

        // spec §3.2: one log object holds one source bucket's records only.
        var objects = await LogHarness.ReadObjectsAsync(s3, "logs", "shared/");
        Assert.Equal(2, objects.Count);
        foreach (var lines in objects.Values)
        {
            Assert.Single(lines.Select(l => LogHarness.Parse(l).Record.Bucket).Distinct());
        }

        var head = await s3.GetObjectMetadataAsync("logs", objects.Keys.First());
        Assert.Equal("text/plain", head.Headers.ContentType);
    }

    [Fact]
    public async Task Partitioned_event_time_keys_carry_account_region_bucket_and_the_event_day()
    {
        await using var server = await TallyServer.StartAsync();
        using var s3 = server.Client();
        await s3.PutBucketAsync("src");
        await s3.PutBucketAsync("logs");
        await LogHarness.EnableAsync(s3, "src", "logs", "p/", new TargetObjectKeyFormat { PartitionedPrefix = new PartitionedPrefix { PartitionDateSource = PartitionDateSource.EventTime } });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "src", Key = "k", ContentBody = "v" });

        var report = await LogHarness.FlushAsync(server, "src");
        var key = Assert.Single(report.Delivered).Key;
        var day = DateTime.UtcNow;
        Assert.Matches($"^p/[0-9]{{12}}/us-east-1/src/{day:yyyy}/{day:MM}/{day:dd}/{day:yyyy-MM-dd}-00-00-00-[0-9A-F]{{16}}$", key);
    }

    [Fact]
    public async Task Delivery_to_a_missing_target_keeps_the_records_reports_why_and_delivers_once_the_target_is_back()
    {
        await using var server = await TallyServer.StartAsync();
        using var s3 = server.Client();
        await s3.PutBucketAsync("src");
        await s3.PutBucketAsync("logs");
        await LogHarness.EnableAsync(s3, "src", "logs", "l/");
        await s3.DeleteBucketAsync("logs");
        var requestIds = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            requestIds.Add((await s3.PutObjectAsync(new PutObjectRequest { BucketName = "src", Key = $"k{i}", ContentBody = "v" })).ResponseMetadata.RequestId);
        }

        var failed = await LogHarness.FlushAsync(server, "src");
        Assert.Empty(failed.Delivered);
        Assert.Contains("target bucket logs does not exist", Assert.Single(failed.Errors), StringComparison.Ordinal);
        var status = (await LogHarness.StatusAsync(server)).Buckets.Single(b => b.SourceBucket == "src");
        Assert.Equal("logs", status.TargetBucket);
        Assert.Equal("target bucket logs does not exist", status.LastError);
        Assert.True(status.RecordsPending >= 5, $"pending {status.RecordsPending}");
        Assert.NotNull(status.NextAttemptAt);

        await s3.PutBucketAsync("logs");
        var delivered = await LogHarness.FlushAsync(server, "src");
        Assert.Empty(delivered.Errors);
        var lines = (await LogHarness.ReadObjectsAsync(s3, "logs", "l/")).Values.SelectMany(l => l).Select(LogHarness.Parse).ToList();
        foreach (var id in requestIds)
        {
            LogHarness.Single(lines, id, "REST.PUT.OBJECT");
        }

        var after = (await LogHarness.StatusAsync(server)).Buckets.Single(b => b.SourceBucket == "src");
        Assert.Null(after.LastError);
        Assert.Equal(0, after.SegmentsPending);
        Assert.NotNull(after.LastDeliveryAt);
    }

    [Fact]
    public async Task Deliveries_appear_in_the_target_bucket_log_when_the_target_logs()
    {
        await using var server = await TallyServer.StartAsync();
        using var s3 = server.Client();
        await s3.PutBucketAsync("src");
        await s3.PutBucketAsync("logs");
        await s3.PutBucketAsync("audit");
        await LogHarness.EnableAsync(s3, "src", "logs", "src/");
        await LogHarness.EnableAsync(s3, "logs", "audit", "logs/");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "src", Key = "k", ContentBody = "v" });

        var first = await LogHarness.FlushAsync(server, "src");
        var deliveredKey = Assert.Single(first.Delivered).Key;
        var auditLines = await LogHarness.FlushAndReadAsync(server, s3, "audit", "logs/");
        var delivery = Assert.Single(auditLines, l => l.Record.Operation == "REST.PUT.OBJECT" && l.Record.Key == deliveredKey);
        Assert.Equal(LogDeliveryWorker.DeliveryRequester, delivery.Record.Requester);
        Assert.Equal("logs", delivery.Record.Bucket);
        Assert.Equal("200", delivery.Raw(AccessLogField.HttpStatus));
    }

    [Fact]
    public async Task The_26_field_option_writes_the_older_layout()
    {
        await using var server = await TallyServer.StartAsync(o => o with { AccessLogFields = 26 });
        using var s3 = server.Client();
        await s3.PutBucketAsync("src");
        await s3.PutBucketAsync("logs");
        await LogHarness.EnableAsync(s3, "src", "logs", "l/");
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = "src", Key = "k", ContentBody = "v" });
        var line = LogHarness.Single(await LogHarness.FlushAndReadAsync(server, s3, "logs", "l/"), put.ResponseMetadata.RequestId, "REST.PUT.OBJECT");
        Assert.Equal(26, line.FieldCount);
        Assert.EndsWith(" -", line.Line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_TLS_the_record_names_the_cipher_suite_and_TLS_version_as_OpenSSL_does()
    {
        var dir = Directory.CreateTempSubdirectory("tally-tls").FullName;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(dir, "cert.pem");
        var keyPath = Path.Combine(dir, "key.pem");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

        await using var server = await TallyServer.StartAsync(o => o with { TlsCertificatePath = certPath, TlsKeyPath = keyPath });
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{server.Endpoint.Port}") };
        var admin = server.App.Services.GetService(typeof(Tally.Server.Admin.AdminToken)) as Tally.Server.Admin.AdminToken;
        Assert.NotNull(admin);

        // Buckets are created in-process (the SDK would reject the self-signed certificate).
        var store = (Tally.Storage.IObjectStore)server.App.Services.GetService(typeof(Tally.Storage.Disk.DiskObjectStore))!;
        var root = (Tally.Security.Credentials.CredentialStore)server.App.Services.GetService(typeof(Tally.Security.Credentials.CredentialStore))!;
        var identity = root.Root.Root.Identity;
        foreach (var bucket in new[] { "src", "logs" })
        {
            await store.CreateBucketAsync(new Tally.Storage.Model.BucketInfo(bucket, identity.AccountId, identity.CanonicalUserId, "us-east-1", DateTimeOffset.UtcNow), CancellationToken.None);
        }

        var registry = (Tally.AccessLogs.Configuration.LoggingRegistry)server.App.Services.GetService(typeof(Tally.AccessLogs.Configuration.LoggingRegistry))!;
        var source = (await store.GetBucketAsync("src", CancellationToken.None))!;
        await registry.SetAsync(source, new Tally.AccessLogs.Configuration.LoggingConfiguration("logs", "l/"), (_, _) => Task.CompletedTask, CancellationToken.None);

        using var response = await https.GetAsync("/src/missing");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var requestId = response.Headers.GetValues("x-amz-request-id").Single();

        using (var adminClient = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = https.BaseAddress })
        {
            adminClient.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin.Token);
            using var flush = await adminClient.PostAsync("/_tally/logs/flush", null);
            Assert.Equal(HttpStatusCode.OK, flush.StatusCode);
        }

        var spool = (LogSpool)server.App.Services.GetService(typeof(LogSpool))!;
        Assert.Empty(spool.Sealed());
        using var read = await store.GetObjectAsync("logs", (await store.ListObjectsAsync("logs", new Tally.Storage.Model.ListObjectsQuery("l/", null, null, 1000), CancellationToken.None)).Objects.Single().Key, CancellationToken.None);
        using var reader = new StreamReader(read.Content);
        var line = LogHarness.Single((await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(LogHarness.Parse), requestId, "REST.GET.OBJECT");
        Assert.Matches("^TLSv1\\.[23]$", line.Raw(AccessLogField.TlsVersion));
        var cipher = line.Raw(AccessLogField.CipherSuite)!;
        Assert.True(cipher.StartsWith("ECDHE-RSA-", StringComparison.Ordinal) || cipher.StartsWith("TLS_AES_", StringComparison.Ordinal) || cipher.StartsWith("TLS_CHACHA20", StringComparison.Ordinal), cipher);
        Assert.DoesNotContain("_WITH_", cipher, StringComparison.Ordinal);
    }
}
