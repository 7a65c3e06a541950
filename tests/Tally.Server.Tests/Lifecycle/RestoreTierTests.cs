using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Time.Testing;
using RestoreDelays = Tally.Lifecycle.Restore.RestoreDelays;

namespace Tally.Server.Tests.Lifecycle;

/// <summary>RestoreObject retrieval tiers through the real server and the AWS SDK (spec §6.6): each tier has its own delay.</summary>
public sealed class RestoreTierTests
{
    [Fact]
    public async Task An_expedited_restore_is_readable_before_a_bulk_one_with_the_default_delays()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TallyServer.StartAsync(time: time);
        using var s3 = server.Client();
        await s3.PutBucketAsync("photos");
        await PutAsync(s3, "fast", S3StorageClass.Glacier);
        await PutAsync(s3, "slow", S3StorageClass.Glacier);

        Assert.Equal(HttpStatusCode.Accepted, (await RestoreAsync(s3, "fast", GlacierJobTier.Expedited)).HttpStatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await RestoreAsync(s3, "slow", GlacierJobTier.Bulk)).HttpStatusCode);

        // Defaults: Expedited 10 s, Bulk 300 s.
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.True((await s3.GetObjectMetadataAsync("photos", "fast")).RestoreInProgress);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("fast", await ReadAsync(s3, "fast"));
        Assert.False((await s3.GetObjectMetadataAsync("photos", "fast")).RestoreInProgress);
        Assert.True((await s3.GetObjectMetadataAsync("photos", "slow")).RestoreInProgress);
        await S3Assert.FailsWith("InvalidObjectState", HttpStatusCode.Forbidden, () => s3.GetObjectAsync("photos", "slow"));

        time.Advance(TimeSpan.FromSeconds(289));
        await S3Assert.FailsWith("InvalidObjectState", HttpStatusCode.Forbidden, () => s3.GetObjectAsync("photos", "slow"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("slow", await ReadAsync(s3, "slow"));
    }

    [Fact]
    public async Task Deep_archive_refuses_expedited_and_takes_its_own_standard_delay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var delays = RestoreDelays.Parse("Standard=5,DeepArchiveStandard=20", null);
        await using var server = await TallyServer.StartAsync(o => o with { RestoreDelays = delays }, time);
        using var s3 = server.Client();
        await s3.PutBucketAsync("photos");
        await PutAsync(s3, "deep", S3StorageClass.DeepArchive);
        await PutAsync(s3, "glacier", S3StorageClass.Glacier);

        var refused = await S3Assert.FailsWith("InvalidObjectState", HttpStatusCode.Forbidden, () => RestoreAsync(s3, "deep", GlacierJobTier.Expedited));
        Assert.Equal("The operation is not valid for the object's storage class", refused.Message);
        Assert.Null((await s3.GetObjectMetadataAsync("photos", "deep")).RestoreInProgress);

        Assert.Equal(HttpStatusCode.Accepted, (await RestoreAsync(s3, "deep", GlacierJobTier.Standard)).HttpStatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await RestoreAsync(s3, "glacier", GlacierJobTier.Standard)).HttpStatusCode);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("glacier", await ReadAsync(s3, "glacier"));
        time.Advance(TimeSpan.FromSeconds(14));
        Assert.True((await s3.GetObjectMetadataAsync("photos", "deep")).RestoreInProgress);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("deep", await ReadAsync(s3, "deep"));
    }

    [Fact]
    public async Task A_faster_tier_upgrades_a_restore_in_progress_and_a_slower_one_is_refused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TallyServer.StartAsync(time: time);
        using var s3 = server.Client();
        await s3.PutBucketAsync("photos");
        await PutAsync(s3, "logs.gz", S3StorageClass.Glacier);
        Assert.Equal(HttpStatusCode.Accepted, (await RestoreAsync(s3, "logs.gz", GlacierJobTier.Bulk)).HttpStatusCode);
        time.Advance(TimeSpan.FromSeconds(5));

        // AWS's restore speed upgrade: same request, faster tier.
        await S3Assert.FailsWith("RestoreAlreadyInProgress", HttpStatusCode.Conflict, () => RestoreAsync(s3, "logs.gz", GlacierJobTier.Bulk));
        Assert.Equal(HttpStatusCode.Accepted, (await RestoreAsync(s3, "logs.gz", GlacierJobTier.Expedited)).HttpStatusCode);
        await S3Assert.FailsWith("RestoreAlreadyInProgress", HttpStatusCode.Conflict, () => RestoreAsync(s3, "logs.gz", GlacierJobTier.Standard));

        // Expedited (10 s) from the upgrade, not Bulk (300 s) from the start.
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.True((await s3.GetObjectMetadataAsync("photos", "logs.gz")).RestoreInProgress);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("logs.gz", await ReadAsync(s3, "logs.gz"));
    }

    private static async Task PutAsync(AmazonS3Client s3, string key, S3StorageClass storageClass) =>
        _ = await s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = key, ContentBody = key, StorageClass = storageClass });

    private static Task<RestoreObjectResponse> RestoreAsync(AmazonS3Client s3, string key, GlacierJobTier tier) =>
        s3.RestoreObjectAsync(new RestoreObjectRequest { BucketName = "photos", Key = key, Days = 1, Tier = tier });

    private static async Task<string> ReadAsync(AmazonS3Client s3, string key)
    {
        using var get = await s3.GetObjectAsync("photos", key);
        return await new StreamReader(get.ResponseStream, Encoding.UTF8).ReadToEndAsync();
    }
}
