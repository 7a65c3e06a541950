using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tally.AccessLogs.Records;
using Tally.Lifecycle.Execution;
using Tally.Server.Tests.Logging;

namespace Tally.Server.Tests.Lifecycle;

/// <summary>Lifecycle through the real server and the AWS SDK: configuration, headers, the engine, the cold tier, restores.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Put_get_and_delete_round_trip_through_the_SDK()
    {
        await using var server = await TallyServer.StartAsync();
        using var s3 = server.Client();
        await s3.PutBucketAsync("photos");

        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = "photos",
            Configuration = new LifecycleConfiguration
            {
                Rules =
                [
                    new LifecycleRule
                    {
                        Id = "archive",
                        Status = LifecycleRuleStatus.Enabled,
                        Filter = new LifecycleFilter { Prefix = "raw/" },
                        Transitions = [new LifecycleTransition { Days = 30, StorageClass = S3StorageClass.StandardInfrequentAccess }, new LifecycleTransition { Days = 90, StorageClass = S3StorageClass.Glacier }],
                        Expiration = new LifecycleRuleExpiration { Days = 365 },
                        NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 30, NewerNoncurrentVersions = 2 },
                    },
                    new LifecycleRule
                    {
                        Id = "uploads",
                        Status = LifecycleRuleStatus.Disabled,
                        Filter = new LifecycleFilter { Prefix = string.Empty },
                        AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 7 },
                    },
                ],
            },
        });
        var got = (await s3.GetLifecycleConfigurationAsync("photos")).Configuration.Rules;

        Assert.Equal(["archive", "uploads"], got.Select(r => r.Id));
        // The SDK reads <Filter><Prefix> into its predicate.
        Assert.Equal("raw/", Assert.IsType<LifecyclePrefixPredicate>(got[0].Filter.LifecycleFilterPredicate).Prefix);
        Assert.Equal([30, 90], got[0].Transitions.Select(t => t.Days ?? -1));
        Assert.Equal(S3StorageClass.Glacier, got[0].Transitions[1].StorageClass);
        Assert.Equal(365, got[0].Expiration.Days);
        Assert.Equal(2, got[0].NoncurrentVersionExpiration.NewerNoncurrentVersions);
        Assert.Equal(LifecycleRuleStatus.Disabled, got[1].Status);
        Assert.Equal(7, got[1].AbortIncompleteMultipartUpload.DaysAfterInitiation);

        var deleted = await s3.DeleteLifecycleConfigurationAsync("photos");
        Assert.Equal(HttpStatusCode.NoContent, deleted.HttpStatusCode);
    }

    [Fact]
    public async Task Get_without_a_configuration_is_404_NoSuchLifecycleConfiguration()
    {
        await using var server = await TallyServer.StartAsync();
        using var s3 = server.Client();
        await s3.PutBucketAsync("photos");
        await s3.PutBucketAsync("logs");
        await LogHarness.EnableAsync(s3, "photos", "logs", "photos/");

        // The SDK turns this 404 into an empty configuration; the access log shows the answer.
        var none = await s3.GetLifecycleConfigurationAsync("photos");

        Assert.Empty(none.Configuration?.Rules ?? []);
        var lines = await LogHarness.FlushAndReadAsync(server, s3, "logs", "photos/");
        var get = Assert.Single(lines, l => l.Record.Operation == "REST.GET.LIFECYCLE");
        Assert.Equal(404, get.Record.HttpStatus);
        Assert.Equal("NoSuchLifecycleConfiguration", get.Record.ErrorCode);
        var delete = await s3.DeleteLifecycleConfigurationAsync("photos");
        Assert.Equal(HttpStatusCode.NoContent, delete.HttpStatusCode);
    }

    [Fact]
    public async Task A_refused_configuration_gets_AWS_error_and_changes_nothing()
    {
        await using var server = await TallyServer.StartAsync();
        using var s3 = server.Client();
        await s3.PutBucketAsync("photos");
        await PutRuleAsync(s3, "photos", new LifecycleRule { Id = "keep", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = "a/" }, Expiration = new LifecycleRuleExpiration { Days = 10 } });

        var zero = await S3Assert.FailsWith("InvalidArgument", HttpStatusCode.BadRequest, () => PutRuleAsync(s3, "photos", new LifecycleRule { Id = "x", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = "b/" }, Expiration = new LifecycleRuleExpiration { Days = 0 } }));
        Assert.Equal("'Days' for Expiration action must be a positive integer", zero.Message);
        var ia = await S3Assert.FailsWith("InvalidArgument", HttpStatusCode.BadRequest, () => PutRuleAsync(s3, "photos", new LifecycleRule { Id = "x", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = "b/" }, Transitions = [new LifecycleTransition { Days = 10, StorageClass = S3StorageClass.StandardInfrequentAccess }] }));
        Assert.Equal("'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'", ia.Message);
        var midnight = await S3Assert.FailsWith("InvalidArgument", HttpStatusCode.BadRequest, () => PutRuleAsync(s3, "photos", new LifecycleRule { Id = "x", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = "b/" }, Expiration = new LifecycleRuleExpiration { Date = new DateTime(2030, 1, 1, 12, 0, 0, DateTimeKind.Utc) } }));
        Assert.Equal("'Date' must be at midnight GMT", midnight.Message);

        var kept = Assert.Single((await s3.GetLifecycleConfigurationAsync("photos")).Configuration.Rules);
        Assert.Equal("keep", kept.Id);
    }

    [Fact]
    public async Task Put_head_and_get_name_the_rule_that_will_expire_the_object()
    {
        await using var server = await TallyServer.StartAsync();
        using var s3 = server.Client();
        await s3.PutBucketAsync("photos");
        await PutRuleAsync(s3, "photos", new LifecycleRule { Id = "tmp files", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = "tmp/" }, Expiration = new LifecycleRuleExpiration { Days = 3 } });

        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "tmp/a", ContentBody = "x" });
        var head = await s3.GetObjectMetadataAsync("photos", "tmp/a");
        using var get = await s3.GetObjectAsync("photos", "tmp/a");
        var other = await s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "keep/a", ContentBody = "x" });

        var due = DateTime.SpecifyKind(head.LastModified!.Value.ToUniversalTime().Date.AddDays(4), DateTimeKind.Utc);
        foreach (var expiration in new[] { put.Expiration, head.Expiration, get.Expiration })
        {
            Assert.Equal("tmp files", expiration.RuleId);
            Assert.Equal(due, expiration.ExpiryDate.ToUniversalTime());
        }

        Assert.Null(other.Expiration);
        using var raw = await RawHeadAsync(server, s3, "photos", "tmp/a");
        Assert.Equal(
            $"expiry-date=\"{new DateTimeOffset(due).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}\", rule-id=\"tmp%20files\"",
            Assert.Single(raw.Headers.GetValues("x-amz-expiration")));
    }

    [Fact]
    public async Task Expired_objects_are_deleted_on_their_lifecycle_day_and_logged_as_AmazonS3()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TallyServer.StartAsync(o => o with { LifecycleDaySeconds = 60, LogCommitWindow = TimeSpan.Zero }, time);
        using var s3 = server.Client();
        await s3.PutBucketAsync("photos");
        await s3.PutBucketAsync("logs");
        await LogHarness.EnableAsync(s3, "photos", "logs", "photos/");
        await PutRuleAsync(s3, "photos", new LifecycleRule { Id = "tmp", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = "tmp/" }, Expiration = new LifecycleRuleExpiration { Days = 1 } });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "tmp/a b.jpg", ContentBody = "12345" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "keep.jpg", ContentBody = "12345" });
        var runner = server.App.Services.GetRequiredService<LifecycleRunner>();

        // One lifecycle day = 60 s: written during day d, Days 1 is due at the start of day d+2.
        time.Advance(TimeSpan.FromSeconds(61));
        _ = await runner.RunIfDueAsync(CancellationToken.None);
        Assert.Equal(2, (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "photos" })).KeyCount);
        time.Advance(TimeSpan.FromSeconds(120));
        _ = await runner.RunIfDueAsync(CancellationToken.None);

        Assert.Equal(["keep.jpg"], (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "photos" })).S3Objects.Select(o => o.Key));
        // Read what was delivered, not the sealed segments: with 181 s of fake time past, the
        // delivery service may already have rolled and delivered the segment holding the record.
        var lines = await LogHarness.FlushAndReadAsync(server, s3, "logs", "photos/");
        var expired = Assert.Single(lines, l => l.Record.Operation == "S3.EXPIRE.OBJECT");
        Assert.Equal("AmazonS3", expired.Record.Requester);
        Assert.Equal("tmp/a b.jpg", expired.Record.Key);
        Assert.Equal("tmp/a%20b.jpg", expired.Raw(AccessLogField.Key));
        Assert.Equal(5, expired.Record.ObjectSize);
        Assert.Equal("-", expired.Raw(AccessLogField.RequestUri));
        Assert.Equal("-", expired.Raw(AccessLogField.HttpStatus));
    }

    [Fact]
    public async Task Cold_standard_IA_objects_read_transparently_and_show_their_class()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TallyServer.StartAsync(o => o with { LifecycleDaySeconds = 1 }, time);
        using var s3 = server.Client();
        await s3.PutBucketAsync("photos");
        await PutRuleAsync(s3, "photos", new LifecycleRule { Id = "cold", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { ObjectSizeGreaterThan = 0 }, Transitions = [new LifecycleTransition { Days = 30, StorageClass = S3StorageClass.StandardInfrequentAccess }] });
        var body = string.Concat(Enumerable.Repeat("0123456789", 10_000));
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "a", ContentBody = body });

        time.Advance(TimeSpan.FromSeconds(40));
        _ = await server.App.Services.GetRequiredService<LifecycleRunner>().RunIfDueAsync(CancellationToken.None);

        Assert.Equal(S3StorageClass.StandardInfrequentAccess, (await s3.GetObjectMetadataAsync("photos", "a")).StorageClass);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "photos" })).S3Objects.Single().StorageClass);
        using (var get = await s3.GetObjectAsync("photos", "a"))
        {
            Assert.Equal(body, await new StreamReader(get.ResponseStream, Encoding.UTF8).ReadToEndAsync());
        }

        using var ranged = await s3.GetObjectAsync(new GetObjectRequest { BucketName = "photos", Key = "a", ByteRange = new ByteRange(50_005, 50_009) });
        Assert.Equal("56789", await new StreamReader(ranged.ResponseStream, Encoding.UTF8).ReadToEndAsync());
    }

    [Fact]
    public async Task Archived_objects_answer_403_until_restored_then_202_409_200()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TallyServer.StartAsync(o => o with { LifecycleDaySeconds = 1, RestoreDelay = TimeSpan.FromSeconds(30) }, time);
        using var s3 = server.Client();
        await s3.PutBucketAsync("photos");
        await PutRuleAsync(s3, "photos", new LifecycleRule { Id = "archive", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { ObjectSizeGreaterThan = 0 }, Transitions = [new LifecycleTransition { Days = 1, StorageClass = S3StorageClass.Glacier }] });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "old.jpg", ContentBody = "frozen" });
        time.Advance(TimeSpan.FromSeconds(3));
        _ = await server.App.Services.GetRequiredService<LifecycleRunner>().RunIfDueAsync(CancellationToken.None);

        var head = await s3.GetObjectMetadataAsync("photos", "old.jpg");
        Assert.Equal(S3StorageClass.Glacier, head.StorageClass);
        Assert.Null(head.RestoreExpiration);
        Assert.Null(head.RestoreInProgress);
        var denied = await S3Assert.FailsWith("InvalidObjectState", HttpStatusCode.Forbidden, () => s3.GetObjectAsync("photos", "old.jpg"));
        Assert.Equal("The operation is not valid for the object's storage class", denied.Message);

        var started = await s3.RestoreObjectAsync(new RestoreObjectRequest { BucketName = "photos", Key = "old.jpg", Days = 2, Tier = GlacierJobTier.Standard });
        Assert.Equal(HttpStatusCode.Accepted, started.HttpStatusCode);
        await S3Assert.FailsWith("RestoreAlreadyInProgress", HttpStatusCode.Conflict, () => s3.RestoreObjectAsync(new RestoreObjectRequest { BucketName = "photos", Key = "old.jpg", Days = 2 }));
        var ongoing = await s3.GetObjectMetadataAsync("photos", "old.jpg");
        Assert.True(ongoing.RestoreInProgress);
        using (var raw = await RawHeadAsync(server, s3, "photos", "old.jpg"))
        {
            Assert.Equal("ongoing-request=\"true\"", Assert.Single(raw.Headers.GetValues("x-amz-restore")));
        }

        await S3Assert.FailsWith("InvalidObjectState", HttpStatusCode.Forbidden, () => s3.GetObjectAsync("photos", "old.jpg"));

        time.Advance(TimeSpan.FromSeconds(30));
        var done = await s3.GetObjectMetadataAsync("photos", "old.jpg");
        Assert.False(done.RestoreInProgress);
        Assert.NotNull(done.RestoreExpiration);
        using (var raw = await RawHeadAsync(server, s3, "photos", "old.jpg"))
        {
            Assert.Matches("^ongoing-request=\"false\", expiry-date=\"[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\"$", Assert.Single(raw.Headers.GetValues("x-amz-restore")));
        }

        Assert.Equal(S3StorageClass.Glacier, done.StorageClass);
        using (var get = await s3.GetObjectAsync("photos", "old.jpg"))
        {
            Assert.Equal("frozen", await new StreamReader(get.ResponseStream, Encoding.UTF8).ReadToEndAsync());
        }

        var extended = await s3.RestoreObjectAsync(new RestoreObjectRequest { BucketName = "photos", Key = "old.jpg", Days = 5 });
        Assert.Equal(HttpStatusCode.OK, extended.HttpStatusCode);

        // The copy lives 5 lifecycle days (5 s here), then the object is archived again.
        time.Advance(TimeSpan.FromSeconds(10));
        await S3Assert.FailsWith("InvalidObjectState", HttpStatusCode.Forbidden, () => s3.GetObjectAsync("photos", "old.jpg"));
    }

    [Fact]
    public async Task Restoring_an_object_that_is_not_archived_is_refused()
    {
        await using var server = await TallyServer.StartAsync();
        using var s3 = server.Client();
        await s3.PutBucketAsync("photos");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "hot", ContentBody = "x" });

        await S3Assert.FailsWith("ObjectAlreadyInActiveTierError", HttpStatusCode.Forbidden, () => s3.RestoreObjectAsync(new RestoreObjectRequest { BucketName = "photos", Key = "hot", Days = 1 }));
        await S3Assert.FailsWith("NoSuchKey", HttpStatusCode.NotFound, () => s3.RestoreObjectAsync(new RestoreObjectRequest { BucketName = "photos", Key = "none", Days = 1 }));
    }

    /// <summary>HEAD through a presigned URL, to see the raw headers the SDK folds into properties.</summary>
    private static async Task<HttpResponseMessage> RawHeadAsync(TallyServer server, AmazonS3Client s3, string bucket, string key)
    {
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = key, Verb = HttpVerb.HEAD, Expires = DateTime.UtcNow.AddMinutes(10), Protocol = Protocol.HTTP });
        using var http = server.Http();
        var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static async Task PutRuleAsync(AmazonS3Client s3, string bucket, LifecycleRule rule) =>
        _ = await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = bucket, Configuration = new LifecycleConfiguration { Rules = [rule] } });
}
