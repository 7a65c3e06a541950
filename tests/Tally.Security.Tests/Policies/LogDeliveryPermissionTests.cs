using Tally.Security.Acls;
using Tally.Security.Policies;

namespace Tally.Security.Tests.Policies;

/// <summary>Spec §5: the target's bucket policy or (ACLs enabled) the LogDelivery grant lets logging.s3.amazonaws.com write.</summary>
public sealed class LogDeliveryPermissionTests
{
    internal const string Target = "log-target";
    internal const string Source = "source-bucket";
    internal const string SourceAccount = "111122223333";
    private static readonly DateTimeOffset Now = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Owner = new('a', 64);

    private static readonly string DeliveryPolicy = """
        {"Version":"2012-10-17","Statement":[{"Sid":"S3ServerAccessLogsPolicy","Effect":"Allow",
          "Principal":{"Service":"logging.s3.amazonaws.com"},"Action":["s3:PutObject"],
          "Resource":"arn:aws:s3:::log-target/logs/*",
          "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::source-bucket"},"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}
        """;

    [Fact]
    public void The_documented_delivery_policy_allows_the_logging_principal()
    {
        var policy = PolicyDocument.ParseBucketPolicy(DeliveryPolicy, Target);

        var decision = LogDeliveryPermission.Evaluate(policy, Target, "logs/2024-06-01-12-00-00-0123456789ABCDEF", Source, SourceAccount, Now);

        Assert.Equal(LogDeliveryOutcome.AllowedByPolicy, decision.Outcome);
        Assert.Equal("S3ServerAccessLogsPolicy", decision.Statement);
        Assert.True(decision.IsAllowed);
    }

    [Theory]
    [InlineData("other-source", SourceAccount, "logs/x")]
    [InlineData(Source, "444455556666", "logs/x")]
    [InlineData(Source, SourceAccount, "elsewhere/x")]
    public void The_delivery_policy_does_not_allow_another_source_account_or_prefix(string source, string account, string key)
    {
        var policy = PolicyDocument.ParseBucketPolicy(DeliveryPolicy, Target);

        var decision = LogDeliveryPermission.Evaluate(policy, Target, key, source, account, Now);

        Assert.Equal(LogDeliveryOutcome.NotGranted, decision.Outcome);
        Assert.False(decision.IsAllowed);
    }

    [Fact]
    public void An_explicit_deny_blocks_delivery_and_names_its_statement_even_with_an_allow_and_an_acl_grant()
    {
        var json = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Allow","Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::log-target/*"},
              {"Sid":"NoLogsFromSource","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::log-target/*",
               "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}
            """;
        var request = new LogDeliveryRequest(Target, "logs/x", Source, SourceAccount, Now)
        {
            TargetPolicy = PolicyDocument.ParseBucketPolicy(json, Target),
            TargetAcl = CannedAcl.Build(CannedAcl.LogDeliveryWrite, Owner, Owner),
            TargetOwnership = ObjectOwnership.ObjectWriter,
            DefaultAllowed = true,
        };

        var decision = LogDeliveryPermission.Evaluate(request);

        Assert.Equal(LogDeliveryOutcome.DeniedByPolicy, decision.Outcome);
        Assert.Equal("NoLogsFromSource", decision.Statement);
        Assert.Contains("NoLogsFromSource", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_log_delivery_write_canned_acl_allows_delivery_where_acls_are_enabled()
    {
        var request = new LogDeliveryRequest(Target, "logs/x", Source, SourceAccount, Now)
        {
            TargetAcl = CannedAcl.Build(CannedAcl.LogDeliveryWrite, Owner, Owner),
            TargetOwnership = ObjectOwnership.BucketOwnerPreferred,
        };

        Assert.Equal(LogDeliveryOutcome.AllowedByAcl, LogDeliveryPermission.Evaluate(request).Outcome);
        Assert.Equal(LogDeliveryOutcome.NotGranted, LogDeliveryPermission.Evaluate(request with { TargetOwnership = ObjectOwnership.BucketOwnerEnforced }).Outcome);
    }

    [Fact]
    public void A_grant_of_write_without_read_acp_is_not_enough()
    {
        var acl = new AccessControlList(Owner, [new AclGrant(AclGrantee.LogDelivery, AclPermission.Write)]);
        var request = new LogDeliveryRequest(Target, "logs/x", Source, SourceAccount, Now) { TargetAcl = acl, TargetOwnership = ObjectOwnership.ObjectWriter };

        Assert.Equal(LogDeliveryOutcome.NotGranted, LogDeliveryPermission.Evaluate(request).Outcome);
    }

    [Fact]
    public void Without_policy_or_acl_the_default_grant_decides()
    {
        var request = new LogDeliveryRequest(Target, "logs/x", Source, SourceAccount, Now);

        Assert.Equal(LogDeliveryOutcome.NotGranted, LogDeliveryPermission.Evaluate(request).Outcome);
        Assert.Equal(LogDeliveryOutcome.AllowedByDefault, LogDeliveryPermission.Evaluate(request with { DefaultAllowed = true }).Outcome);
    }

    [Fact]
    public void The_delivery_request_carries_the_source_keys()
    {
        var request = LogDeliveryPermission.ToPolicyRequest(new LogDeliveryRequest(Target, "logs/x", Source, SourceAccount, Now));

        Assert.Equal("arn:aws:s3:::source-bucket", Assert.Single(request.Context.Get("aws:SourceArn")!));
        Assert.Equal(SourceAccount, Assert.Single(request.Context.Get("aws:sourceaccount")!));
        Assert.Equal("arn:aws:s3:::log-target/logs/x", request.Resource);
        Assert.Equal(PrincipalKind.Service, request.Principal.Kind);
    }
}
