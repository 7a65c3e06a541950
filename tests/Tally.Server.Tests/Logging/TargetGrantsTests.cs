using System.Net;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using Tally.Server.Tests.Access;

namespace Tally.Server.Tests.Logging;

/// <summary>
/// PutBucketLogging's TargetGrants (spec §4.2, §5.3): each delivered log object carries an ACL
/// giving the target bucket's owner FULL_CONTROL plus every grant, so the grantees can use the
/// log objects. Only targets with ACLs enabled (ObjectWriter, BucketOwnerPreferred) take grants.
/// </summary>
public sealed class TargetGrantsTests(TwoAccounts accounts) : IClassFixture<TwoAccounts>
{
    private AmazonS3Client Owner => accounts.Owner;

    private AmazonS3Client Alternate => accounts.Alternate;

    private string AlternateCanonicalId => accounts.AlternateRoot.Identity.CanonicalUserId;

    [Theory]
    [InlineData("ObjectWriter")]
    [InlineData("BucketOwnerPreferred")]
    public async Task A_read_grant_lets_the_grantee_read_the_delivered_log_objects_and_their_acl_lists_it(string ownership)
    {
        var (source, target) = await BucketsAsync("read-" + ownership.ToLowerInvariant(), ownership);
        await EnableAsync(source, target, Grant(AlternateCanonicalId, S3Permission.READ));
        var put = await Owner.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "k", ContentBody = "v" });

        var key = await FlushOneAsync(source);

        using (var get = await Alternate.GetObjectAsync(target, key))
        {
            using var reader = new StreamReader(get.ResponseStream);
            Assert.Contains(put.ResponseMetadata.RequestId, await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }

        var acl = await Owner.GetObjectAclAsync(new GetObjectAclRequest { BucketName = target, Key = key });
        Assert.Equal(accounts.OwnerCanonicalId, acl.Owner.Id);
        Assert.Equal(
            [(accounts.OwnerCanonicalId, "FULL_CONTROL"), (AlternateCanonicalId, "READ")],
            acl.Grants.Select(g => (g.Grantee.CanonicalUser, g.Permission.Value)));

        // READ on an object is not READ_ACP: the grantee may read the log, not its ACL.
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden,
            () => Alternate.GetObjectAclAsync(new GetObjectAclRequest { BucketName = target, Key = key }));
    }

    [Fact]
    public async Task Without_target_grants_another_account_is_denied_the_delivered_log_objects()
    {
        var (source, target) = await BucketsAsync("none", "ObjectWriter");
        await EnableAsync(source, target);
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "k", ContentBody = "v" });

        var key = await FlushOneAsync(source);

        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.GetObjectAsync(target, key));
        var acl = await Owner.GetObjectAclAsync(new GetObjectAclRequest { BucketName = target, Key = key });
        var only = Assert.Single(acl.Grants);
        Assert.Equal((accounts.OwnerCanonicalId, S3Permission.FULL_CONTROL), (only.Grantee.CanonicalUser, only.Permission));
    }

    [Fact]
    public async Task A_full_control_grant_lets_the_grantee_read_the_log_objects_acl()
    {
        var (source, target) = await BucketsAsync("full", "BucketOwnerPreferred");
        await EnableAsync(source, target, Grant(AlternateCanonicalId, S3Permission.FULL_CONTROL));
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "k", ContentBody = "v" });

        var key = await FlushOneAsync(source);

        var acl = await Alternate.GetObjectAclAsync(new GetObjectAclRequest { BucketName = target, Key = key });
        Assert.Contains(acl.Grants, g => g.Grantee.CanonicalUser == AlternateCanonicalId && g.Permission == S3Permission.FULL_CONTROL);
        using var get = await Alternate.GetObjectAsync(target, key);
        Assert.Equal(HttpStatusCode.OK, get.HttpStatusCode);
    }

    [Fact]
    public async Task Grants_set_later_apply_to_records_written_after_the_change_only()
    {
        var (source, target) = await BucketsAsync("later", "ObjectWriter");
        await EnableAsync(source, target);
        var before = await Owner.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "before", ContentBody = "v" });
        // A flush of the (unlogged) target delivers nothing but first waits until the records of
        // the requests before it are written: the PUT's record is spooled under the first configuration.
        Assert.Empty(await FlushAsync(target));
        await EnableAsync(source, target, Grant(AlternateCanonicalId, S3Permission.READ));
        var after = await Owner.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "after", ContentBody = "v" });

        // Not a count of what this flush delivered: the background delivery may already have
        // delivered the segment the configuration change sealed.
        _ = await FlushAsync(source);
        var objects = await LogHarness.ReadObjectsAsync(Owner, target, "logs/");
        var keyBefore = objects.Single(o => o.Value.Any(l => LogHarness.Parse(l).Record.RequestId == before.ResponseMetadata.RequestId)).Key;
        var keyAfter = objects.Single(o => o.Value.Any(l => LogHarness.Parse(l).Record.RequestId == after.ResponseMetadata.RequestId)).Key;

        // A configuration change ends the open log object: the records of each are delivered under the grants of their time.
        Assert.NotEqual(keyBefore, keyAfter);
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.GetObjectAsync(target, keyBefore));
        using var get = await Alternate.GetObjectAsync(target, keyAfter);
        Assert.Equal(HttpStatusCode.OK, get.HttpStatusCode);
    }

    private static S3Grant Grant(string canonicalId, S3Permission permission) =>
        new() { Grantee = new S3Grantee { CanonicalUser = canonicalId }, Permission = permission };

    private async Task<(string Source, string Target)> BucketsAsync(string name, string ownership)
    {
        var source = $"grants-{name}-src";
        var target = $"grants-{name}-logs";
        await Owner.PutBucketAsync(source);
        await Owner.PutBucketAsync(target);
        await Owner.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = target,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ownership }] },
        });
        return (source, target);
    }

    private async Task EnableAsync(string source, string target, params S3Grant[] grants)
    {
        await Owner.PutBucketLoggingAsync(new PutBucketLoggingRequest
        {
            BucketName = source,
            LoggingConfig = new S3BucketLoggingConfig { TargetBucketName = target, TargetPrefix = "logs/", Grants = grants.Length == 0 ? null : [.. grants] },
        });
    }

    /// <summary>
    /// POST /bucket?logging on <paramref name="source"/>: it first waits for the records of the
    /// requests before it, then delivers them; the one key it names.
    /// </summary>
    private async Task<string> FlushOneAsync(string source) => Assert.Single(await FlushAsync(source));

    private async Task<List<string>> FlushAsync(string bucket)
    {
        using var response = await SignedRequests.SendAsync(accounts.Server, HttpMethod.Post, bucket, "logging");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        XNamespace s3 = "http://s3.amazonaws.com/doc/2006-03-01/";
        return [.. XElement.Parse(body).Elements(s3 + "FlushedLoggingObject").Select(e => e.Value).Where(k => k.Length > 0)];
    }
}
