using System.Net;
using System.Net.Http.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Tally.AccessLogs.Records;
using Tally.Server.Admin;
using Tally.Server.Hosting;
using Tally.Server.Tests.Logging;
using StoredBucket = Tally.Storage.Model.BucketInfo;

namespace Tally.Server.Tests.Access;

/// <summary>
/// New buckets start with S3 Block Public Access all on, as every new bucket on AWS has since April
/// 2023 (access-control-block-public-access.html); the owner turns it off exactly as on AWS.
/// </summary>
public sealed class DefaultPublicAccessBlockTests(TwoAccounts accounts) : IClassFixture<TwoAccounts>
{
    private AmazonS3Client Owner => accounts.Owner;

    [Fact]
    public async Task A_new_bucket_answers_GetPublicAccessBlock_with_all_four_settings_on()
    {
        const string bucket = "default-block";
        await Owner.PutBucketAsync(bucket);

        AssertAllOn(await BlockAsync(bucket));

        await Owner.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { BlockPublicAcls = true },
        });
        var changed = await BlockAsync(bucket);
        Assert.Equal<(bool?, bool?, bool?, bool?)>((true, false, false, false), (changed.BlockPublicAcls, changed.IgnorePublicAcls, changed.BlockPublicPolicy, changed.RestrictPublicBuckets));

        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await S3Assert.FailsWith("NoSuchPublicAccessBlockConfiguration", HttpStatusCode.NotFound, () => BlockAsync(bucket));
    }

    [Fact]
    public async Task A_public_bucket_policy_is_refused_until_the_block_is_deleted()
    {
        const string bucket = "default-block-policy";
        await Owner.PutBucketAsync(bucket);

        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Owner.PutBucketPolicyAsync(bucket, Policies.PublicRead(bucket)));
        await S3Assert.FailsWith("NoSuchBucketPolicy", HttpStatusCode.NotFound, () => Owner.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket }));

        // A policy that names an account is not public: the block leaves it alone.
        var privatePolicy = Policies.AllowAccount(bucket, accounts.AlternateRoot.Identity.AccountId, "s3:GetObject");
        await Owner.PutBucketPolicyAsync(bucket, privatePolicy);
        Assert.Equal(privatePolicy, (await Owner.GetBucketPolicyAsync(bucket)).Policy);

        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await Owner.PutBucketPolicyAsync(bucket, Policies.PublicRead(bucket));
        Assert.True((await Owner.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket })).PolicyStatus.IsPublic);
    }

    [Fact]
    public async Task Anonymous_get_is_denied_by_default_and_allowed_after_DeletePublicAccessBlock_and_a_public_read_policy()
    {
        const string bucket = "default-block-anonymous";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "index.html", ContentBody = "<h1>hi</h1>" });
        using var http = accounts.Server.Http();

        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/{bucket}/index.html")).StatusCode);

        // Deleting the block alone opens nothing: the bucket is still private.
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/{bucket}/index.html")).StatusCode);

        await Owner.PutBucketPolicyAsync(bucket, Policies.PublicRead(bucket));
        using var response = await http.GetAsync($"/{bucket}/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<h1>hi</h1>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_public_acl_on_CreateBucket_is_refused_with_InvalidBucketAclWithBlockPublicAccessError_and_creates_nothing()
    {
        // AWS's CreateBucket: "if your desired bucket ACL grants public access, you must first create the
        // bucket (without the bucket ACL) and then explicitly disable Block Public Access".
        var error = await S3Assert.FailsWith("InvalidBucketAclWithBlockPublicAccessError", HttpStatusCode.BadRequest,
            () => Owner.PutBucketAsync(new PutBucketRequest { BucketName = "created-public", CannedACL = S3CannedACL.PublicRead, ObjectOwnership = ObjectOwnership.ObjectWriter }));
        Assert.Equal("Bucket cannot have public ACLs set with BlockPublicAccess enabled", error.Message);
        await S3Assert.FailsWith("InvalidBucketAclWithBlockPublicAccessError", HttpStatusCode.BadRequest,
            () => Owner.PutBucketAsync(new PutBucketRequest
            {
                BucketName = "created-public",
                ObjectOwnership = ObjectOwnership.BucketOwnerPreferred,
                Grants = [new S3Grant { Grantee = new S3Grantee { URI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" }, Permission = S3Permission.READ }],
            }));
        await S3Assert.FailsWith("NoSuchBucket", HttpStatusCode.NotFound, () => Owner.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "created-public" }));

        // A non-public ACL is stored with the block on.
        await Owner.PutBucketAsync(new PutBucketRequest { BucketName = "created-log-delivery", CannedACL = S3CannedACL.LogDeliveryWrite, ObjectOwnership = ObjectOwnership.ObjectWriter });
        var acl = await Owner.GetBucketAclAsync(new GetBucketAclRequest { BucketName = "created-log-delivery" });
        Assert.Contains(acl.Grants, g => g.Grantee.URI == "http://acs.amazonaws.com/groups/s3/LogDelivery" && g.Permission == S3Permission.WRITE);
        AssertAllOn(await BlockAsync("created-log-delivery"));
    }

    [Fact]
    public async Task A_target_bucket_created_by_logging_enable_starts_with_all_four_settings_on()
    {
        await Owner.PutBucketAsync("enable-source");
        using var admin = LogHarness.Admin(accounts.Server);
        using var response = await admin.PostAsJsonAsync("/_tally/logging/enable", new { source = "enable-source", target = "enable-created-logs" }, AdminEndpoints.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.True((await response.Content.ReadFromJsonAsync<LoggingSetupResult>(AdminEndpoints.Json))!.TargetCreated);

        AssertAllOn(await BlockAsync("enable-created-logs"));

        // The delivery statement names the logging service, not everyone: logs still arrive.
        var put = await Owner.PutObjectAsync(new PutObjectRequest { BucketName = "enable-source", Key = "k", ContentBody = "v" });

        // A record lands when its response has completed, just after the client has seen it: flush until it is there.
        List<ParsedAccessLogLine> lines = [];
        for (var attempt = 0; attempt < 20 && !lines.Any(l => l.Record.RequestId == put.ResponseMetadata.RequestId); attempt++)
        {
            lines = await LogHarness.FlushAndReadAsync(accounts.Server, Owner, "enable-created-logs", "enable-source/");
        }

        LogHarness.Single(lines, put.ResponseMetadata.RequestId, "REST.PUT.OBJECT");
    }

    [Fact]
    public async Task A_bucket_stored_without_a_public_access_block_keeps_none()
    {
        // The shape a data directory from before the default has: the bucket, and no block in its settings.
        const string bucket = "stored-before-default";
        var services = accounts.Server.App.Services.GetRequiredService<TallyServices>();
        var canonicalId = accounts.OwnerCanonicalId;
        await services.Store.CreateBucketAsync(new StoredBucket(bucket, accounts.OwnerAccountId, canonicalId, "us-east-1", DateTimeOffset.UnixEpoch), CancellationToken.None);
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });

        await S3Assert.FailsWith("NoSuchPublicAccessBlockConfiguration", HttpStatusCode.NotFound, () => BlockAsync(bucket));
        await Owner.PutBucketPolicyAsync(bucket, Policies.PublicRead(bucket));
        using var http = accounts.Server.Http();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/{bucket}/k")).StatusCode);
    }

    private async Task<PublicAccessBlockConfiguration> BlockAsync(string bucket) =>
        (await Owner.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket })).PublicAccessBlockConfiguration;

    private static void AssertAllOn(PublicAccessBlockConfiguration block) =>
        Assert.Equal<(bool?, bool?, bool?, bool?)>((true, true, true, true), (block.BlockPublicAcls, block.IgnorePublicAcls, block.BlockPublicPolicy, block.RestrictPublicBuckets));
}
