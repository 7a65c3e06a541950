using System.Net;
using Amazon.S3.Model;

namespace Tally.Server.Tests;

public sealed class BucketTests : ServerWithClient
{
    [Fact]
    public async Task Creates_lists_heads_and_deletes_a_bucket()
    {
        await S3.PutBucketAsync("alpha");
        var list = await S3.ListBucketsAsync();
        Assert.Contains(list.Buckets ?? [], b => b.BucketName == "alpha");
        Assert.Equal(HttpStatusCode.OK, (await S3.HeadBucketAsync(new HeadBucketRequest { BucketName = "alpha" })).HttpStatusCode);

        await S3.DeleteBucketAsync("alpha");
        await S3Assert.FailsWith("NoSuchBucket", HttpStatusCode.NotFound, () => S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "alpha" }));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Upper")]
    [InlineData("under_score")]
    [InlineData("192.168.5.4")]
    [InlineData("bad..dots")]
    [InlineData("-leading")]
    public async Task Rejects_names_that_break_AWS_naming_rules(string name)
    {
        await S3Assert.FailsWith("InvalidBucketName", HttpStatusCode.BadRequest, () => S3.PutBucketAsync(name));
    }

    [Fact]
    public async Task Creating_a_bucket_twice_answers_BucketAlreadyOwnedByYou()
    {
        await S3.PutBucketAsync("twice");
        await S3Assert.FailsWith("BucketAlreadyOwnedByYou", HttpStatusCode.Conflict, () => S3.PutBucketAsync("twice"));
    }

    [Fact]
    public async Task Deleting_a_bucket_with_objects_answers_BucketNotEmpty_and_keeps_it()
    {
        await S3.PutBucketAsync("full");
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = "full", Key = "k", ContentBody = "x" });
        await S3Assert.FailsWith("BucketNotEmpty", HttpStatusCode.Conflict, () => S3.DeleteBucketAsync("full"));
        Assert.Equal("x", await ReadAsync("full", "k"));
    }

    [Fact]
    public async Task A_bucket_created_in_a_hosted_region_reports_that_region()
    {
        await S3.PutBucketAsync(new PutBucketRequest { BucketName = "europe", BucketRegionName = "eu-west-1" });
        var location = await S3.GetBucketLocationAsync("europe");
        Assert.Equal("eu-west-1", location.Location.Value);

        await S3.PutBucketAsync("classic");
        Assert.True(string.IsNullOrEmpty((await S3.GetBucketLocationAsync("classic")).Location?.Value));
    }

    [Fact]
    public async Task A_region_the_server_does_not_host_is_rejected()
    {
        await S3Assert.FailsWith("InvalidLocationConstraint", HttpStatusCode.BadRequest,
            () => S3.PutBucketAsync(new PutBucketRequest { BucketName = "mars", BucketRegionName = "ap-south-2" }));
    }

    [Fact]
    public async Task Expected_bucket_owner_mismatch_is_denied()
    {
        await S3.PutBucketAsync("owned");
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden,
            () => S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "owned", ExpectedBucketOwner = "111111111111" }));
    }

    [Fact]
    public async Task Unknown_sub_resources_answer_NotImplemented()
    {
        await S3.PutBucketAsync("subres");
        await S3Assert.FailsWith("NotImplemented", HttpStatusCode.NotImplemented, () => S3.GetBucketWebsiteAsync("subres"));
    }

    private async Task<string> ReadAsync(string bucket, string key)
    {
        using var response = await S3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }
}
