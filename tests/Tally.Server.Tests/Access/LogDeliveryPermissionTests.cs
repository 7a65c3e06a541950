using Amazon.S3;
using Amazon.S3.Model;
using Tally.Security.Acls;
using Tally.Security.Policies;

namespace Tally.Server.Tests.Access;

/// <summary>
/// The documents a bucket owner sets through the SDK let the logging principal write, judged by
/// the evaluator log delivery uses: the log-delivery-write ACL and the documented delivery policy.
/// </summary>
public sealed class LogDeliveryPermissionTests(TwoAccounts accounts) : IClassFixture<TwoAccounts>
{
    private static readonly DateTimeOffset Now = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private AmazonS3Client Owner => accounts.Owner;

    [Fact]
    public async Task The_log_delivery_write_acl_lets_the_logging_principal_write()
    {
        const string target = "acl-log-target";
        await Owner.PutBucketAsync(target);
        await Owner.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = target,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = Amazon.S3.ObjectOwnership.BucketOwnerPreferred }] },
        });
        await Owner.PutBucketAclAsync(new PutBucketAclRequest { BucketName = target, ACL = S3CannedACL.LogDeliveryWrite });

        var acl = await FetchAclAsync(target);
        var request = new LogDeliveryRequest(target, "logs/2024-06-01-12-00-00-0123456789ABCDEF", "source", accounts.OwnerAccountId, Now)
        {
            TargetAcl = acl,
            TargetOwnership = Security.Acls.ObjectOwnership.BucketOwnerPreferred,
        };

        Assert.Equal(LogDeliveryOutcome.AllowedByAcl, LogDeliveryPermission.Evaluate(request).Outcome);
        Assert.Equal(LogDeliveryOutcome.NotGranted, LogDeliveryPermission.Evaluate(request with { TargetAcl = AccessControlList.Private(accounts.OwnerCanonicalId) }).Outcome);
    }

    [Fact]
    public async Task The_documented_delivery_policy_lets_the_logging_principal_write_and_a_deny_stops_it()
    {
        const string target = "policy-log-target";
        await Owner.PutBucketAsync(target);
        var allow = """
            {"Version":"2012-10-17","Statement":[{"Sid":"S3ServerAccessLogsPolicy","Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},
             "Action":["s3:PutObject"],"Resource":"arn:aws:s3:::policy-log-target/logs/*",
             "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::source"},"StringEquals":{"aws:SourceAccount":"ACCOUNT"}}}]}
            """.Replace("ACCOUNT", accounts.OwnerAccountId, StringComparison.Ordinal);
        await Owner.PutBucketPolicyAsync(target, allow);

        var policy = PolicyDocument.ParseBucketPolicy((await Owner.GetBucketPolicyAsync(target)).Policy, target);
        var decision = LogDeliveryPermission.Evaluate(policy, target, "logs/x", "source", accounts.OwnerAccountId, Now);
        Assert.Equal((LogDeliveryOutcome.AllowedByPolicy, "S3ServerAccessLogsPolicy"), (decision.Outcome, decision.Statement));
        Assert.False(LogDeliveryPermission.Evaluate(policy, target, "logs/x", "another-source", accounts.OwnerAccountId, Now).IsAllowed);

        var deny = allow.Replace("\"Statement\":[", "\"Statement\":[{\"Sid\":\"NoLogs\",\"Effect\":\"Deny\",\"Principal\":{\"Service\":\"logging.s3.amazonaws.com\"},\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::" + target + "/*\"},", StringComparison.Ordinal);
        await Owner.PutBucketPolicyAsync(target, deny);
        policy = PolicyDocument.ParseBucketPolicy((await Owner.GetBucketPolicyAsync(target)).Policy, target);
        decision = LogDeliveryPermission.Evaluate(policy, target, "logs/x", "source", accounts.OwnerAccountId, Now);
        Assert.Equal((LogDeliveryOutcome.DeniedByPolicy, "NoLogs"), (decision.Outcome, decision.Statement));
    }

    // The ACL as GetBucketAcl answers it, in the evaluator's terms.
    private async Task<AccessControlList> FetchAclAsync(string bucket)
    {
        var response = await Owner.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket });
        return new AccessControlList(response.Owner.Id, [.. response.Grants.Select(g => new AclGrant(
            g.Grantee.URI is { Length: > 0 } uri ? new AclGrantee(Security.Acls.GranteeType.Group, uri) : AclGrantee.CanonicalUser(g.Grantee.CanonicalUser),
            AccessControlList.ParsePermission(g.Permission.Value) ?? throw new InvalidDataException(g.Permission.Value)))]);
    }
}
