using System.Net;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using Tally.Server.Tests.Access;

namespace Tally.Server.Tests.Logging;

/// <summary>
/// <c>POST /bucket?logging</c> (Tally's flush extension, after Ceph RGW's): delivers what is pending
/// for the bucket and names the objects written; only the bucket owner's account may call it.
/// </summary>
public sealed class FlushBucketLoggingTests(TwoAccounts accounts) : IClassFixture<TwoAccounts>
{
    private static readonly XNamespace S3 = "http://s3.amazonaws.com/doc/2006-03-01/";

    private AmazonS3Client Owner => accounts.Owner;

    [Fact]
    public async Task The_owner_flushes_the_pending_records_into_the_target_and_is_told_the_keys()
    {
        await Owner.PutBucketAsync("flush-src");
        await Owner.PutBucketAsync("flush-logs");
        await LogHarness.EnableAsync(Owner, "flush-src", "flush-logs", "src/");
        var put = await Owner.PutObjectAsync(new PutObjectRequest { BucketName = "flush-src", Key = "k", ContentBody = "v" });

        // The flush waits for requests that finished before it, so one call delivers the PUT's record.
        var flushed = await FlushAsync("flush-src");
        var key = Assert.Single(flushed);
        var objects = await LogHarness.ReadObjectsAsync(Owner, "flush-logs", "src/");
        Assert.Equal([key], objects.Keys);
        Assert.Contains(objects[key], l => LogHarness.Parse(l).Record.RequestId == put.ResponseMetadata.RequestId);
        var status = (await LogHarness.StatusAsync(accounts.Server)).Buckets.Single(b => b.SourceBucket == "flush-src");
        Assert.Equal(key, status.LastDeliveredKey);
        Assert.Null(status.LastError);
    }

    [Fact]
    public async Task Another_account_is_denied_and_nothing_is_delivered()
    {
        await Owner.PutBucketAsync("flush-denied-src");
        await Owner.PutBucketAsync("flush-denied-logs");
        await LogHarness.EnableAsync(Owner, "flush-denied-src", "flush-denied-logs", "src/");
        var put = await Owner.PutObjectAsync(new PutObjectRequest { BucketName = "flush-denied-src", Key = "k", ContentBody = "v" });

        await AssertDeniedToAlternateAsync("flush-denied-src");

        // Even a bucket policy granting the other account s3:PutBucketLogging (the flush's IAM
        // action) does not let it flush: the call is for the bucket owner's account only.
        await Owner.PutBucketPolicyAsync(new PutBucketPolicyRequest
        {
            BucketName = "flush-denied-src",
            Policy = Policies.AllowAccount("flush-denied-src", accounts.AlternateRoot.Identity.AccountId, "s3:PutBucketLogging"),
        });
        await AssertDeniedToAlternateAsync("flush-denied-src");

        // Nothing was delivered, and the records were kept: the owner's flush delivers them.
        Assert.Null((await LogHarness.StatusAsync(accounts.Server)).Buckets.Single(b => b.SourceBucket == "flush-denied-src").LastDeliveredKey);
        Assert.Empty((await Owner.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "flush-denied-logs" })).S3Objects ?? []);
        var key = Assert.Single(await FlushAsync("flush-denied-src"));
        Assert.Contains(
            (await LogHarness.ReadObjectsAsync(Owner, "flush-denied-logs", "src/"))[key],
            l => LogHarness.Parse(l).Record.RequestId == put.ResponseMetadata.RequestId);
    }

    [Fact]
    public async Task A_bucket_without_logging_answers_an_empty_flushed_object()
    {
        await Owner.PutBucketAsync("flush-unlogged");
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = "flush-unlogged", Key = "k", ContentBody = "v" });

        using var response = await SignedRequests.SendAsync(accounts.Server, HttpMethod.Post, "flush-unlogged", "logging");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var root = XElement.Parse(body);
        Assert.Equal(S3 + "PostBucketLoggingOutput", root.Name);
        Assert.Equal(string.Empty, Assert.Single(root.Elements(S3 + "FlushedLoggingObject")).Value);
    }

    private async Task AssertDeniedToAlternateAsync(string bucket)
    {
        using var response = await SignedRequests.SendAsync(
            accounts.Server, HttpMethod.Post, bucket, "logging", accounts.AlternateRoot.AccessKeyId, accounts.AlternateRoot.SecretAccessKey);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, body);
        Assert.Equal("AccessDenied", XElement.Parse(body).Element("Code")?.Value);
    }

    /// <summary>POST /bucket?logging as the owner: the keys it names (none when it names only the empty element).</summary>
    private async Task<List<string>> FlushAsync(string bucket)
    {
        using var response = await SignedRequests.SendAsync(accounts.Server, HttpMethod.Post, bucket, "logging");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var root = XElement.Parse(body);
        Assert.Equal(S3 + "PostBucketLoggingOutput", root.Name);
        return [.. root.Elements(S3 + "FlushedLoggingObject").Select(e => e.Value).Where(k => k.Length > 0)];
    }
}
