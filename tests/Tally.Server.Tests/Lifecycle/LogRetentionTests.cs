using System.Net;
using System.Net.Http.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Tally.AccessLogs.Delivery;
using Tally.Server.Admin;
using Tally.Server.Tests.Logging;
using Tally.Storage.Disk;

namespace Tally.Server.Tests.Lifecycle;

/// <summary>
/// A log bucket must not grow forever (issue 7): `tally logging enable --cold-after --expire-after`
/// writes the target's lifecycle rule in the same step, `tally logs status` shows it, and
/// `tally lifecycle run` reaches the running server through the admin API.
/// </summary>
public sealed class LogRetentionTests : ServerWithClient
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await S3.PutBucketAsync("photos");
        await S3.PutBucketAsync("videos");
    }

    [Fact]
    public async Task Enabling_logging_with_a_retention_adds_the_rule_to_the_target_and_keeps_its_other_rules()
    {
        await S3.PutBucketAsync("logs");
        await S3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = "logs",
            Configuration = new LifecycleConfiguration
            {
                Rules = [new LifecycleRule { Id = "scratch", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = "tmp/" }, Expiration = new LifecycleRuleExpiration { Days = 1 } }],
            },
        });

        var result = await EnableAsync(new { source = "photos", target = "logs", coldAfterDays = 30, expireAfterDays = 365 });

        Assert.Equal(new LogRetentionRule("logs", "tally-log-retention-photos", true, "photos/", 30, "STANDARD_IA", 365, "to STANDARD_IA after 30 days, expire after 365 days"), result.Retention);
        var rules = (await S3.GetLifecycleConfigurationAsync("logs")).Configuration.Rules;
        Assert.Equal(["scratch", "tally-log-retention-photos"], rules.Select(r => r.Id));
        var retention = rules[1];
        Assert.Equal(LifecycleRuleStatus.Enabled, retention.Status);
        Assert.Equal(30, Assert.Single(retention.Transitions).Days);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, retention.Transitions[0].StorageClass);
        Assert.Equal(365, retention.Expiration.Days);
    }

    [Fact]
    public async Task Status_shows_each_target_and_the_rules_that_cover_its_logs()
    {
        _ = await EnableAsync(new { source = "photos", target = "photo-logs", coldAfterDays = 7, expireAfterDays = 90 });
        _ = await EnableAsync(new { source = "videos", target = "video-logs" });

        var status = await LogHarness.StatusAsync(Server);

        // Below 30 days the cold class is one that takes it (STANDARD_IA needs 30, spec §6.4).
        var rule = Assert.Single(status.Retention);
        Assert.Equal(("photo-logs", "photos/", 7, "GLACIER_IR", 90), (rule.TargetBucket, rule.Prefix, rule.ColdAfterDays, rule.ColdStorageClass, rule.ExpireAfterDays));
        Assert.Contains(status.Buckets, b => b is { SourceBucket: "videos", TargetBucket: "video-logs" });
    }

    [Fact]
    public async Task Setting_the_retention_again_replaces_the_sources_rule_and_another_source_gets_its_own()
    {
        _ = await EnableAsync(new { source = "photos", target = "logs", expireAfterDays = 365 });
        _ = await EnableAsync(new { source = "photos", target = "logs", expireAfterDays = 30 });
        _ = await EnableAsync(new { source = "videos", target = "logs", expireAfterDays = 400 });

        var rules = (await S3.GetLifecycleConfigurationAsync("logs")).Configuration.Rules;
        Assert.Equal([("tally-log-retention-photos", 30), ("tally-log-retention-videos", 400)], rules.Select(r => (r.Id, r.Expiration.Days ?? 0)));
    }

    [Fact]
    public async Task A_retention_AWS_would_refuse_is_rejected_and_changes_nothing()
    {
        using var admin = LogHarness.Admin(Server);
        using var response = await admin.PostAsJsonAsync("/_tally/logging/enable", new { source = "photos", target = "new-logs", coldAfterDays = 60, expireAfterDays = 30 }, AdminEndpoints.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("InvalidArgument", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var buckets = (await S3.ListBucketsAsync()).Buckets.Select(b => b.BucketName);
        Assert.DoesNotContain("new-logs", buckets);
        Assert.Null((await S3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = "photos" })).BucketLoggingConfig.TargetBucketName);
    }

    [Fact]
    public async Task A_setup_the_guard_rails_refuse_leaves_no_target_policy_or_rule_behind()
    {
        var tooLong = new string('p', 801);
        await S3.PutBucketAsync("logs");
        using var admin = LogHarness.Admin(Server);

        using var onNewTarget = await admin.PostAsJsonAsync("/_tally/logging/enable", new { source = "photos", target = "new-logs", prefix = tooLong, expireAfterDays = 30 }, AdminEndpoints.Json);
        using var onExistingTarget = await admin.PostAsJsonAsync("/_tally/logging/enable", new { source = "photos", target = "logs", prefix = tooLong, expireAfterDays = 30 }, AdminEndpoints.Json);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (onNewTarget.StatusCode, onExistingTarget.StatusCode));
        Assert.Contains("Field exceeds 800 bytes", await onExistingTarget.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("new-logs", (await S3.ListBucketsAsync()).Buckets.Select(b => b.BucketName));
        Assert.Null(await Server.App.Services.GetRequiredService<DiskObjectStore>().As().GetAsync("logs", "policy", CancellationToken.None));
        Assert.Null(await Server.App.Services.GetRequiredService<Tally.Lifecycle.Configuration.LifecycleSettings>().GetAsync("logs", CancellationToken.None));
        Assert.Null((await S3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = "photos" })).BucketLoggingConfig.TargetBucketName);
    }

    [Fact]
    public async Task Lifecycle_run_through_the_admin_API_acts_on_the_running_server()
    {
        _ = await EnableAsync(new { source = "photos", target = "logs", expireAfterDays = 10 });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "a.jpg", ContentBody = "12345" });
        var delivered = await LogHarness.FlushAsync(Server);
        var logObject = Assert.Single(delivered.Delivered).Key;
        using var admin = LogHarness.Admin(Server);

        var today = await RunLifecycleAsync(admin, null);
        var asOf = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(12);
        var preview = await RunLifecycleAsync(admin, asOf, dryRun: true);
        var stillThere = await S3.GetObjectMetadataAsync("logs", logObject);
        var later = await RunLifecycleAsync(admin, asOf);

        Assert.Equal(0, today.Counters.Expired);
        Assert.Null(today.Planned);
        var planned = Assert.Single(preview.Planned!);
        Assert.Equal(("logs", logObject, "S3.EXPIRE.OBJECT", "tally-log-retention-photos"), (planned.Bucket, planned.Key, planned.Operation, planned.RuleId));
        Assert.Equal(HttpStatusCode.OK, stillThere.HttpStatusCode);
        Assert.Equal(1, later.Counters.Expired);
        var gone = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.GetObjectMetadataAsync("logs", logObject));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var bad = await admin.PostAsync("/_tally/lifecycle/run?as-of=2026-13-01", null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Lifecycle_status_shows_the_last_run_the_next_one_and_the_buckets_with_rules()
    {
        _ = await EnableAsync(new { source = "photos", target = "logs", expireAfterDays = 10 });
        using var admin = LogHarness.Admin(Server);
        var run = await RunLifecycleAsync(admin, null);

        var status = (await admin.GetFromJsonAsync<LifecycleStatus>("/_tally/lifecycle/status", AdminEndpoints.Json))!;

        Assert.Equal(run.Date, status.Today);
        Assert.True(status.LastRun!.Completed);
        Assert.Equal(run.Date, status.LastRun.Date);
        Assert.True(status.NextRunAt > DateTimeOffset.UtcNow);
        Assert.Equal(new LifecycleBucketStatus("logs", 1, 1), Assert.Single(status.Buckets));
    }

    private static async Task<LifecycleRunResult> RunLifecycleAsync(HttpClient admin, DateOnly? asOf, bool dryRun = false)
    {
        var path = asOf is { } d ? $"/_tally/lifecycle/run?as-of={d:yyyy-MM-dd}" : "/_tally/lifecycle/run?";
        using var response = await admin.PostAsync(dryRun ? path + "&dry-run=true" : path, null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<LifecycleRunResult>(AdminEndpoints.Json))!;
    }

    private async Task<LoggingSetupResult> EnableAsync(object request)
    {
        using var admin = LogHarness.Admin(Server);
        using var response = await admin.PostAsJsonAsync("/_tally/logging/enable", request, AdminEndpoints.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<LoggingSetupResult>(AdminEndpoints.Json))!;
    }
}
