using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Tally.Server.Tests.Logging;

/// <summary>Put/GetBucketLogging through the AWS SDK: the XML round trip and every guard rail (spec §4, DESIGN §4).</summary>
public sealed class BucketLoggingConfigurationTests : IAsyncLifetime
{
    private TallyServer _server = null!;
    private AmazonS3Client _s3 = null!;

    public async Task InitializeAsync()
    {
        _server = await TallyServer.StartAsync();
        _s3 = _server.Client();
        foreach (var bucket in new[] { "src", "logs", "other" })
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
    public async Task Logging_is_off_by_default_and_get_answers_200_with_an_empty_status()
    {
        var get = await _s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = "src" });
        Assert.Equal(HttpStatusCode.OK, get.HttpStatusCode);
        Assert.Null(get.BucketLoggingConfig?.TargetBucketName);
    }

    [Fact]
    public async Task Get_returns_what_was_set_and_an_empty_status_disables()
    {
        await LogHarness.EnableAsync(_s3, "src", "logs", "src-logs/");
        var simple = (await _s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = "src" })).BucketLoggingConfig;
        Assert.Equal("logs", simple.TargetBucketName);
        Assert.Equal("src-logs/", simple.TargetPrefix);
        Assert.Null(simple.TargetObjectKeyFormat);

        await LogHarness.EnableAsync(_s3, "src", "logs", "p/", new TargetObjectKeyFormat
        {
            PartitionedPrefix = new PartitionedPrefix { PartitionDateSource = PartitionDateSource.DeliveryTime },
        });
        var partitioned = (await _s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = "src" })).BucketLoggingConfig;
        Assert.Equal("p/", partitioned.TargetPrefix);
        Assert.Equal(PartitionDateSource.DeliveryTime, partitioned.TargetObjectKeyFormat.PartitionedPrefix.PartitionDateSource);

        await LogHarness.EnableAsync(_s3, "src", "logs", string.Empty, new TargetObjectKeyFormat { SimplePrefix = new SimplePrefix() });
        var simplePrefix = (await _s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = "src" })).BucketLoggingConfig;
        Assert.Equal(string.Empty, simplePrefix.TargetPrefix ?? string.Empty);
        Assert.NotNull(simplePrefix.TargetObjectKeyFormat.SimplePrefix);

        await _s3.PutBucketLoggingAsync(new PutBucketLoggingRequest { BucketName = "src", LoggingConfig = new S3BucketLoggingConfig() });
        var off = (await _s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = "src" })).BucketLoggingConfig;
        Assert.Null(off?.TargetBucketName);
    }

    [Fact]
    public async Task A_bucket_cannot_log_into_itself()
    {
        var error = await RejectedAsync("src", "src", "self/");
        Assert.Equal("InvalidTargetBucketForLogging", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("cannot log into itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cycle_of_logging_buckets_is_rejected_with_the_chain()
    {
        await LogHarness.EnableAsync(_s3, "src", "logs", "a/");
        await LogHarness.EnableAsync(_s3, "logs", "other", "b/");
        var error = await RejectedAsync("other", "src", "c/");
        Assert.Equal("InvalidTargetBucketForLogging", error.ErrorCode);
        Assert.Contains("other -> src -> logs -> other", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_target_is_rejected()
    {
        var error = await RejectedAsync("src", "no-such-target", "x/");
        Assert.Equal("InvalidTargetBucketForLogging", error.ErrorCode);
        Assert.Equal("The target bucket for logging does not exist", error.Message);
    }

    [Fact]
    public async Task A_target_in_another_region_is_CrossLocationLoggingProhibitted_403()
    {
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = "europe", BucketRegionName = "eu-west-1" });
        var error = await RejectedAsync("src", "europe", "x/");
        Assert.Equal("CrossLocationLoggingProhibitted", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.StartsWith("Cross S3 location logging not allowed.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_owned_by_another_account_is_rejected()
    {
        var stranger = await LogHarness.CreateUserAsync(_server, "stranger", newAccount: true);
        using var theirs = _server.Client(stranger.AccessKeyId, stranger.SecretAccessKey);
        await theirs.PutBucketAsync("their-logs");
        var error = await RejectedAsync("src", "their-logs", "x/");
        Assert.Equal("InvalidTargetBucketForLogging", error.ErrorCode);
        Assert.Equal("The owner for the bucket to be logged and the target bucket must be the same.", error.Message);
    }

    [Fact]
    public async Task Only_the_bucket_owner_may_configure_logging()
    {
        var stranger = await LogHarness.CreateUserAsync(_server, "stranger2", newAccount: true);
        using var theirs = _server.Client(stranger.AccessKeyId, stranger.SecretAccessKey);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => LogHarness.EnableAsync(theirs, "src", "logs", "x/"));
        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task A_prefix_longer_than_800_bytes_is_InvalidArgument()
    {
        var error = await RejectedAsync("src", "logs", new string('p', 801));
        Assert.Equal("InvalidArgument", error.ErrorCode);
        Assert.Equal("Field exceeds 800 bytes", error.Message);
        await LogHarness.EnableAsync(_s3, "src", "logs", new string('p', 800));
    }

    [Fact]
    public async Task Target_grants_are_rejected_for_a_bucket_owner_enforced_target()
    {
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.PutBucketLoggingAsync(new PutBucketLoggingRequest
        {
            BucketName = "src",
            LoggingConfig = new S3BucketLoggingConfig
            {
                TargetBucketName = "logs",
                TargetPrefix = "g/",
                Grants = [new S3Grant { Grantee = new S3Grantee { CanonicalUser = LogHarness.RootCanonicalId(_server) }, Permission = S3Permission.READ }],
            },
        }));
        Assert.Equal("AccessControlListNotSupported", error.ErrorCode);
        Assert.Equal("Target grants not allowed for bucket owner enforced buckets", error.Message);
    }

    [Fact]
    public async Task Logging_a_missing_bucket_is_NoSuchBucket()
    {
        var error = await RejectedAsync("never-created", "logs", "x/");
        Assert.Equal("NoSuchBucket", error.ErrorCode);
    }

    private async Task<AmazonS3Exception> RejectedAsync(string source, string target, string prefix)
    {
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => LogHarness.EnableAsync(_s3, source, target, prefix));
        var get = await _s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = source }).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
        Assert.NotEqual(target, get?.BucketLoggingConfig?.TargetBucketName);
        return error;
    }
}
