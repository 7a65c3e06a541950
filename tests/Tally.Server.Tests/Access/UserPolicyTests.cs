using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Tally.Security.Policies;
using Tally.Server.Hosting;

namespace Tally.Server.Tests.Access;

/// <summary>Users of the owner's account: identity policies, bucket policies naming them, presigned URLs.</summary>
public sealed class UserPolicyTests(TwoAccounts accounts) : IClassFixture<TwoAccounts>
{
    private AmazonS3Client Owner => accounts.Owner;

    [Fact]
    public async Task A_user_without_an_identity_policy_may_do_nothing_until_a_bucket_policy_names_it()
    {
        const string bucket = "user-without-policy";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });
        var (user, client) = await accounts.UserAsync("nobody");

        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => client.GetObjectAsync(bucket, "k"));
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => client.ListBucketsAsync());
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => client.PutBucketAsync("nobodys-bucket"));

        await Owner.PutBucketPolicyAsync(bucket, Policies.AllowUser(bucket, user.Identity.Arn, "s3:GetObject"));

        using var response = await client.GetObjectAsync(bucket, "k");
        Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x" }));
    }

    [Fact]
    public async Task Readonly_and_readwrite_users_get_what_their_names_say()
    {
        const string bucket = "user-canned-policies";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });
        var (_, reader) = await accounts.UserAsync("reader", policy: IdentityPolicies.ReadOnly);
        var (_, writer) = await accounts.UserAsync("writer", policy: IdentityPolicies.ReadWrite);

        Assert.Contains((await reader.ListBucketsAsync()).Buckets, b => b.BucketName == bucket);
        using (var response = await reader.GetObjectAsync(bucket, "k"))
        {
            Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
        }

        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => reader.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "r", ContentBody = "x" }));
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => reader.DeleteObjectAsync(bucket, "k"));

        await writer.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "w", ContentBody = "x" });
        await writer.DeleteObjectAsync(bucket, "w");
        await writer.PutBucketAsync("writers-own-bucket");
    }

    [Fact]
    public async Task A_user_of_another_account_needs_its_own_identity_policy_as_well()
    {
        const string bucket = "cross-account-users";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });
        await Owner.PutBucketPolicyAsync(bucket, Policies.AllowAccount(bucket, accounts.AlternateRoot.Identity.AccountId, "s3:GetObject"));
        var bare = await accounts.Credentials.CreateUserAsync("alt-bare", newAccount: true);
        var other = await accounts.Credentials.CreateUserAsync("alt-other", newAccount: true);

        // A root user of a third account is not named by the policy.
        using (var thirdAccount = accounts.Client(bare))
        {
            await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => thirdAccount.GetObjectAsync(bucket, "k"));
        }

        using (var fourthAccount = accounts.Client(other))
        {
            await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => fourthAccount.GetObjectAsync(bucket, "k"));
        }

        using var alternate = accounts.Alternate;
        using var response = await accounts.Alternate.GetObjectAsync(bucket, "k");
        Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
    }

    [Fact]
    public async Task A_presigned_url_from_a_user_without_permission_is_denied()
    {
        const string bucket = "presigned-users";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc.txt", ContentBody = "contents" });
        var (_, nobody) = await accounts.UserAsync("presigner-nobody");
        var (_, reader) = await accounts.UserAsync("presigner-reader", policy: IdentityPolicies.ReadOnly);
        using var http = new HttpClient();

        async Task<HttpStatusCode> FetchAsync(AmazonS3Client client) =>
            (await http.GetAsync(await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
            {
                BucketName = bucket,
                Key = "doc.txt",
                Expires = DateTime.UtcNow.AddMinutes(5),
                Protocol = Protocol.HTTP,
            }))).StatusCode;

        Assert.Equal(HttpStatusCode.Forbidden, await FetchAsync(nobody));
        Assert.Equal(HttpStatusCode.OK, await FetchAsync(reader));
        Assert.Equal(HttpStatusCode.OK, await FetchAsync(Owner));
    }

    [Fact]
    public async Task A_policy_that_locks_the_owner_out_is_accepted_and_the_root_can_still_remove_it()
    {
        const string bucket = "locked-out";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });

        await Owner.PutBucketPolicyAsync(bucket, Policies.DenyEverything(bucket));

        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Owner.GetObjectAsync(bucket, "k"));
        Assert.Contains("LockOut", (await Owner.GetBucketPolicyAsync(bucket)).Policy, StringComparison.Ordinal);
        await Owner.DeleteBucketPolicyAsync(bucket);
        using var response = await Owner.GetObjectAsync(bucket, "k");
        Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
    }

    [Fact]
    public async Task A_stored_policy_that_no_longer_parses_denies_all_but_the_owner_root_who_can_replace_it()
    {
        const string bucket = "stored-garbage-policy";
        await Owner.PutBucketAsync(bucket);

        // A new bucket blocks public access (AWS's default); the public policy below needs it gone.
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });
        var settings = accounts.Server.App.Services.GetRequiredService<TallyServices>().Settings;
        await settings.PutAsync(bucket, "policy", "{\"Statement\": \"not a statement\"}", CancellationToken.None);

        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Owner.GetObjectAsync(bucket, "k"));
        await Owner.PutBucketPolicyAsync(bucket, Policies.PublicRead(bucket));
        using var response = await Owner.GetObjectAsync(bucket, "k");
        Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
    }

    [Fact]
    public async Task Malformed_policies_are_refused_with_AWSs_message_and_the_stored_one_is_kept()
    {
        const string bucket = "malformed-policies";
        await Owner.PutBucketAsync(bucket);
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await Owner.PutBucketPolicyAsync(bucket, Policies.PublicRead(bucket));

        var error = await S3Assert.FailsWith("MalformedPolicy", HttpStatusCode.BadRequest, () => Owner.PutBucketPolicyAsync(bucket, Policies.PublicRead("another-bucket")));
        Assert.Equal("Policy has invalid resource", error.Message);
        error = await S3Assert.FailsWith("MalformedPolicy", HttpStatusCode.BadRequest, () => Owner.PutBucketPolicyAsync(bucket, "not json"));
        Assert.Equal("Policies must be valid JSON and the first byte must be '{'", error.Message);

        Assert.Equal(Policies.PublicRead(bucket), (await Owner.GetBucketPolicyAsync(bucket)).Policy);
        Assert.True((await Owner.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket })).PolicyStatus.IsPublic);
    }
}
