using System.Net.Http.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Tally.Storage.Disk;

namespace Tally.Server.Tests.Logging;

/// <summary>
/// The target's bucket policy decides log delivery (DESIGN §4, spec §5): a Deny matching the
/// logging principal blocks delivery without losing records, is named in the status and rejects a
/// new configuration; lifting it delivers everything.
/// </summary>
public sealed class LogDeliveryPolicyTests : IAsyncLifetime
{
    private const string DenyAll = """
        {"Version":"2012-10-17","Statement":[{"Sid":"DenyAll","Effect":"Deny","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::logs/*"}]}
        """;

    private TallyServer _server = null!;
    private AmazonS3Client _s3 = null!;

    public async Task InitializeAsync()
    {
        _server = await TallyServer.StartAsync();
        _s3 = _server.Client();
        foreach (var bucket in new[] { "src", "src2", "logs" })
        {
            await _s3.PutBucketAsync(bucket);
        }
    }

    public async Task DisposeAsync()
    {
        _s3.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_deny_added_later_blocks_delivery_keeps_the_records_and_lifting_it_delivers_them()
    {
        await LogHarness.EnableAsync(_s3, "src", "logs", "src/");
        await SetPolicyAsync(DenyAll);
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "src", Key = "k", ContentBody = "v" });

        var blocked = await LogHarness.FlushAsync(_server, "src");
        Assert.Empty(blocked.Delivered);
        Assert.Contains("denied by bucket policy statement DenyAll of bucket logs", Assert.Single(blocked.Errors), StringComparison.Ordinal);
        var status = (await LogHarness.StatusAsync(_server)).Buckets.Single(b => b.SourceBucket == "src");
        Assert.Equal("denied by bucket policy statement DenyAll of bucket logs", status.LastError);
        Assert.True(status.RecordsPending >= 1);

        await _server.App.Services.GetRequiredService<DiskObjectStore>().As().DeleteAsync("logs", "policy", CancellationToken.None);
        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, "logs", "src/");
        LogHarness.Single(lines, put.ResponseMetadata.RequestId, "REST.PUT.OBJECT");
    }

    [Fact]
    public async Task Enabling_logging_into_a_target_whose_policy_denies_it_is_rejected_naming_the_statement()
    {
        await SetPolicyAsync(DenyAll);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => LogHarness.EnableAsync(_s3, "src2", "logs", "src2/"));
        Assert.Equal("InvalidTargetBucketForLogging", error.ErrorCode);
        Assert.Contains("denied by bucket policy statement DenyAll of bucket logs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deny_for_another_source_account_does_not_block_this_one()
    {
        await SetPolicyAsync("""
            {"Version":"2012-10-17","Statement":[{"Sid":"DenyOthers","Effect":"Deny","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::logs/*","Condition":{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::src"}}}]}
            """);
        await LogHarness.EnableAsync(_s3, "src", "logs", "src/");
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => LogHarness.EnableAsync(_s3, "src2", "logs", "src2/"));
        Assert.Contains("DenyOthers", error.Message, StringComparison.Ordinal);

        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "src", Key = "k", ContentBody = "v" });
        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, "logs", "src/");
        LogHarness.Single(lines, put.ResponseMetadata.RequestId, "REST.PUT.OBJECT");
    }

    [Fact]
    public async Task Logging_enable_creates_the_target_writes_the_least_privilege_policy_and_enables_logging()
    {
        using var admin = LogHarness.Admin(_server);
        using var response = await admin.PostAsJsonAsync("/_tally/logging/enable", new { source = "src", target = "new-logs", prefix = "from-src/", partitioned = true }, Tally.Server.Admin.AdminEndpoints.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var result = await response.Content.ReadFromJsonAsync<Tally.Server.Admin.LoggingSetupResult>(Tally.Server.Admin.AdminEndpoints.Json);
        Assert.True(result!.TargetCreated);

        var policy = await _server.App.Services.GetRequiredService<DiskObjectStore>().As().GetAsync("new-logs", "policy", CancellationToken.None);
        using (var document = System.Text.Json.JsonDocument.Parse(policy!))
        {
            var statement = Assert.Single(document.RootElement.GetProperty("Statement").EnumerateArray().ToList());
            Assert.Equal("logging.s3.amazonaws.com", statement.GetProperty("Principal").GetProperty("Service").GetString());
            Assert.Equal("s3:PutObject", statement.GetProperty("Action").GetString());
            Assert.Equal("arn:aws:s3:::new-logs/from-src/*", statement.GetProperty("Resource").GetString());
            Assert.Equal("arn:aws:s3:::src", statement.GetProperty("Condition").GetProperty("ArnLike").GetProperty("aws:SourceArn").GetString());
            Assert.Matches("^[0-9]{12}$", statement.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:SourceAccount").GetString());
        }

        var config = (await _s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = "src" })).BucketLoggingConfig;
        Assert.Equal("new-logs", config.TargetBucketName);
        Assert.Equal(PartitionDateSource.EventTime, config.TargetObjectKeyFormat.PartitionedPrefix.PartitionDateSource);
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "src", Key = "k", ContentBody = "v" });
        var lines = await LogHarness.FlushAndReadAsync(_server, _s3, "new-logs", "from-src/");
        LogHarness.Single(lines, put.ResponseMetadata.RequestId, "REST.PUT.OBJECT");
    }

    private Task SetPolicyAsync(string json) =>
        _server.App.Services.GetRequiredService<DiskObjectStore>().As().PutAsync("logs", "policy", json, CancellationToken.None);
}

internal static class SettingsAccess
{
    public static Tally.Storage.IBucketSettingsStore As(this DiskObjectStore store) => store;
}
