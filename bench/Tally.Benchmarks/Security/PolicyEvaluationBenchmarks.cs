using BenchmarkDotNet.Attributes;
using Tally.Security;
using Tally.Security.Policies;

namespace Tally.Benchmarks.Security;

/// <summary>
/// Authorization decisions per second for a 20-statement bucket policy with conditions (issue #4):
/// one decision per operation, so ops/s = decisions/s. The requests are chosen to walk the whole
/// policy (the allowing statement is the last one; the no-match request checks all 20).
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1515 // BenchmarkDotNet requires public, unsealed benchmark classes.
public class PolicyEvaluationBenchmarks
#pragma warning restore CA1515
{
    private const string Bucket = "bench-bucket";
    private const string OwnerAccount = "111122223333";
    private const string OtherAccount = "444455556666";

    private static readonly string Policy = BuildPolicy();

    private static readonly RequestPrincipal Other = new(PrincipalKind.AccountRoot, OtherAccount, new string('b', 64), $"arn:aws:iam::{OtherAccount}:root", "root", null);
    private static readonly RequestPrincipal User = new(PrincipalKind.User, OwnerAccount, new string('a', 64), $"arn:aws:iam::{OwnerAccount}:user/alice", "alice", null);

    private readonly PolicyDocument _policy = PolicyDocument.ParseBucketPolicy(Policy, Bucket);
    private readonly PolicyDocument _identity = PolicyDocument.ParseIdentityPolicy(IdentityPolicies.ReadOnly);
    private PolicyRequest _allowedByLast = null!;
    private PolicyRequest _matchesNothing = null!;
    private AuthorizationRequest _crossAccount = null!;
    private AuthorizationRequest _sameAccountUser = null!;

    [GlobalSetup]
    public void Setup()
    {
        _allowedByLast = new PolicyRequest(Other, "s3:GetObject", $"arn:aws:s3:::{Bucket}/reports/2024/06/q2.csv", Context(OtherAccount));
        _matchesNothing = new PolicyRequest(Other, "s3:PutBucketTagging", $"arn:aws:s3:::{Bucket}", Context(OtherAccount));
        _crossAccount = new AuthorizationRequest
        {
            Principal = Other,
            Action = "s3:GetObject",
            Resource = _allowedByLast.Resource,
            Context = _allowedByLast.Context,
            BucketOwnerAccountId = OwnerAccount,
            BucketPolicy = _policy,
        };
        _sameAccountUser = _crossAccount with { Principal = User, IdentityPolicy = _identity, Context = Context(OwnerAccount) };
        if (!PolicyEvaluator.Evaluate(_policy, _allowedByLast).IsAllow || PolicyEvaluator.Evaluate(_policy, _matchesNothing).Decision != PolicyDecision.NotApplicable
            || !Authorizer.Authorize(_crossAccount).IsAllowed || !Authorizer.Authorize(_sameAccountUser).IsAllowed)
        {
            throw new InvalidOperationException("The benchmark requests do not decide as intended.");
        }
    }

    [Benchmark(Description = "policy: allowed by statement 20 of 20")]
    public PolicyEvaluation EvaluateAllowedByLastStatement() => PolicyEvaluator.Evaluate(_policy, _allowedByLast);

    [Benchmark(Description = "policy: no statement applies")]
    public PolicyEvaluation EvaluateNoMatch() => PolicyEvaluator.Evaluate(_policy, _matchesNothing);

    [Benchmark(Description = "authorizer: cross-account via bucket policy")]
    public AuthorizationDecision AuthorizeCrossAccount() => Authorizer.Authorize(_crossAccount);

    [Benchmark(Description = "authorizer: user with identity + bucket policy")]
    public AuthorizationDecision AuthorizeSameAccountUser() => Authorizer.Authorize(_sameAccountUser);

    [Benchmark(Description = "parse + validate the 20-statement policy")]
    public PolicyDocument Parse() => PolicyDocument.ParseBucketPolicy(Policy, Bucket);

    private static PolicyContext Context(string account) => new PolicyContext()
        .Set("aws:SecureTransport", "true")
        .Set("aws:SourceIp", "198.51.100.23")
        .Set("aws:CurrentTime", "2024-06-01T12:00:00Z")
        .Set("aws:PrincipalAccount", account)
        .Set("aws:PrincipalArn", $"arn:aws:iam::{account}:root")
        .Set("aws:UserAgent", "aws-cli/2.15.0")
        .Set("s3:signatureversion", "AWS4-HMAC-SHA256");

    // 19 statements that do not allow the benchmark's requests (each with conditions, some
    // Deny statements whose conditions fail), then the one that does.
    private static string BuildPolicy()
    {
        var statements = new List<string>();
        for (var i = 0; i < 19; i++)
        {
            var effect = i % 4 == 3 ? "Deny" : "Allow";
            var condition = (i % 5) switch
            {
                0 => """{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","172.16.0.0/12"]},"Bool":{"aws:SecureTransport":"true"}}""",
                1 => """{"StringLike":{"s3:prefix":["home/${aws:username}/*","shared/*"]},"StringEquals":{"aws:PrincipalAccount":"999988887777"}}""",
                2 => """{"DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"NumericLessThanEquals":{"s3:max-keys":"100"}}""",
                3 => """{"Bool":{"aws:SecureTransport":"false"}}""",
                _ => """{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/ci-*"},"StringNotEquals":{"s3:signatureversion":"AWS4-HMAC-SHA256"}}""",
            };
            statements.Add($$"""
                {"Sid":"S{{i}}","Effect":"{{effect}}","Principal":{"AWS":["{{OtherAccount}}","arn:aws:iam::{{OwnerAccount}}:user/bob"]},
                 "Action":["s3:GetObject","s3:PutObject","s3:ListBucket"],
                 "Resource":["arn:aws:s3:::{{Bucket}}","arn:aws:s3:::{{Bucket}}/team-{{i}}/*"],"Condition":{{condition}}}
                """);
        }

        statements.Add(
            "{\"Sid\":\"ReportsForPartner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OtherAccount + ":root\"},\"Action\":\"s3:Get*\","
            + "\"Resource\":\"arn:aws:s3:::" + Bucket + "/reports/*\","
            + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"198.51.100.0/24\"},\"Bool\":{\"aws:SecureTransport\":\"true\"},"
            + "\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"}}}");
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + string.Join(",", statements) + "]}";
    }
}
