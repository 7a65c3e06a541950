using Amazon.S3.Model;
using Tally.Security.Policies;

namespace Tally.Server.Tests.Access;

/// <summary>
/// ListParts and ListMultipartUploads name who started an upload (Initiator: an IAM user's ARN, a
/// root user's canonical id) apart from who will own the object (Owner, by Object Ownership).
/// </summary>
public sealed class MultipartInitiatorTests(TwoAccounts accounts) : IClassFixture<TwoAccounts>
{
    [Fact]
    public async Task An_upload_a_user_starts_names_the_user_as_initiator_and_the_bucket_owner_as_owner()
    {
        const string bucket = "initiator-user";
        await accounts.Owner.PutBucketAsync(bucket);
        var (user, client) = await accounts.UserAsync("uploader", policy: IdentityPolicies.ReadWrite);

        var upload = await client.InitiateMultipartUploadAsync(bucket, "big.bin");

        var parts = await accounts.Owner.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "big.bin", UploadId = upload.UploadId });
        Assert.Equal((user.Identity.Arn, "uploader"), (parts.Initiator.Id, parts.Initiator.DisplayName));
        Assert.Equal(accounts.OwnerCanonicalId, parts.Owner.Id);
        var listed = Assert.Single((await accounts.Owner.ListMultipartUploadsAsync(bucket)).MultipartUploads);
        Assert.Equal(user.Identity.Arn, listed.Initiator.Id);
        Assert.Equal(accounts.OwnerCanonicalId, listed.Owner.Id);
    }

    [Fact]
    public async Task An_upload_the_root_user_starts_names_its_canonical_id_as_initiator()
    {
        const string bucket = "initiator-root";
        await accounts.Owner.PutBucketAsync(bucket);

        var upload = await accounts.Owner.InitiateMultipartUploadAsync(bucket, "big.bin");

        var parts = await accounts.Owner.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "big.bin", UploadId = upload.UploadId });
        Assert.Equal(accounts.OwnerCanonicalId, parts.Initiator.Id);
    }
}
