using Tally.Security.Policies;

namespace Tally.Security.Tests.Policies;

/// <summary>One condition at a time: operator × policy values × request values → holds?</summary>
public sealed class ConditionOperatorTests
{
    // operator, key, policy values (| separated), request values (| separated; "<absent>" = key not set), holds
    public static TheoryData<string, string, string, string, bool> Cases => new()
    {
        { "StringEquals", "s3:prefix", "home/", "home/", true },
        { "StringEquals", "s3:prefix", "home/", "Home/", false },
        { "StringEquals", "s3:prefix", "a|b", "b", true },
        { "StringEquals", "s3:prefix", "home/", "<absent>", false },
        { "StringNotEquals", "s3:prefix", "home/", "other/", true },
        { "StringNotEquals", "s3:prefix", "home/", "home/", false },
        { "StringNotEquals", "s3:prefix", "home/", "<absent>", true },
        { "StringEqualsIgnoreCase", "s3:x-amz-acl", "PUBLIC-READ", "public-read", true },
        { "StringNotEqualsIgnoreCase", "s3:x-amz-acl", "PRIVATE", "private", false },
        { "StringLike", "s3:prefix", "home/*", "home/alice/", true },
        { "StringLike", "s3:prefix", "home/?", "home/ab", false },
        { "StringNotLike", "s3:prefix", "home/*", "work/", true },
        { "StringNotLike", "s3:prefix", "home/*", "<absent>", true },
        { "StringEqualsIfExists", "s3:prefix", "home/", "<absent>", true },
        { "StringEqualsIfExists", "s3:prefix", "home/", "work/", false },
        { "StringLikeIfExists", "s3:prefix", "home/*", "home/x", true },
        { "NumericLessThanEquals", "s3:max-keys", "10", "10", true },
        { "NumericLessThanEquals", "s3:max-keys", "10", "11", false },
        { "NumericLessThan", "s3:max-keys", "10", "9.5", true },
        { "NumericGreaterThan", "s3:max-keys", "10", "abc", false },
        { "NumericGreaterThanEquals", "s3:max-keys", "10", "10", true },
        { "NumericEquals", "s3:max-keys", "10", "10.0", true },
        { "NumericNotEquals", "s3:max-keys", "10", "<absent>", true },
        { "DateLessThan", "aws:CurrentTime", "2025-01-01T00:00:00Z", "2024-12-31T23:59:59Z", true },
        { "DateLessThan", "aws:CurrentTime", "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z", false },
        { "DateGreaterThanEquals", "aws:CurrentTime", "2025-01-01", "2025-01-01T00:00:00Z", true },
        { "DateGreaterThan", "aws:CurrentTime", "1735689600", "2025-01-01T00:00:01Z", true },
        { "DateEquals", "aws:CurrentTime", "2025-01-01T01:00:00+01:00", "2025-01-01T00:00:00Z", true },
        { "DateNotEquals", "aws:CurrentTime", "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z", true },
        { "Bool", "aws:SecureTransport", "false", "false", true },
        { "Bool", "aws:SecureTransport", "false", "true", false },
        { "Bool", "aws:SecureTransport", "true", "<absent>", false },
        { "BoolIfExists", "aws:SecureTransport", "true", "<absent>", true },
        { "IpAddress", "aws:SourceIp", "10.0.0.0/8", "10.20.30.40", true },
        { "IpAddress", "aws:SourceIp", "10.1.2.3/8", "10.20.30.40", true },
        { "IpAddress", "aws:SourceIp", "10.0.0.1", "10.0.0.1", true },
        { "IpAddress", "aws:SourceIp", "10.0.0.1", "10.0.0.2", false },
        { "IpAddress", "aws:SourceIp", "2001:db8::/32", "2001:db8:ffff::1", true },
        { "IpAddress", "aws:SourceIp", "10.0.0.0/8", "2001:db8::1", false },
        { "NotIpAddress", "aws:SourceIp", "10.0.0.0/8", "192.0.2.1", true },
        { "NotIpAddress", "aws:SourceIp", "10.0.0.0/8", "10.0.0.9", false },
        { "ArnEquals", "aws:SourceArn", "arn:aws:s3:::source", "arn:aws:s3:::source", true },
        { "ArnLike", "aws:SourceArn", "arn:aws:s3:::source*", "arn:aws:s3:::source-2", true },
        { "ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:user/alice", "arn:aws:iam::111122223333:user/alice", true },
        { "ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:user/alice", "arn:aws:sts::111122223333:user/alice", false },
        { "ArnNotLike", "aws:SourceArn", "arn:aws:s3:::source*", "arn:aws:s3:::other", true },
        { "ArnNotEquals", "aws:SourceArn", "arn:aws:s3:::source", "<absent>", true },
        { "Null", "s3:x-amz-acl", "true", "<absent>", true },
        { "Null", "s3:x-amz-acl", "true", "private", false },
        { "Null", "s3:x-amz-acl", "false", "private", true },
        { "ForAnyValue:StringEquals", "s3:RequestObjectTagKeys", "project", "owner|project", true },
        { "ForAnyValue:StringEquals", "s3:RequestObjectTagKeys", "project", "owner", false },
        { "ForAnyValue:StringEquals", "s3:RequestObjectTagKeys", "project", "<absent>", false },
        { "ForAnyValue:StringNotEquals", "s3:RequestObjectTagKeys", "project", "project|owner", true },
        { "ForAllValues:StringEquals", "s3:RequestObjectTagKeys", "project|owner", "owner|project", true },
        { "ForAllValues:StringEquals", "s3:RequestObjectTagKeys", "project", "owner|project", false },
        { "ForAllValues:StringEquals", "s3:RequestObjectTagKeys", "project", "<absent>", true },
        { "ForAllValues:StringLike", "s3:RequestObjectTagKeys", "p*", "project|plan", true },
        { "ForAllValues:StringNotEquals", "s3:RequestObjectTagKeys", "secret", "a|b", true },
        { "ForAllValues:StringNotEquals", "s3:RequestObjectTagKeys", "secret", "a|secret", false },
        { "StringEquals", "s3:ExistingObjectTag/classification", "public", "public", true },
        { "StringEquals", "aws:username", "${aws:username}", "alice", true },
        { "StringLike", "s3:prefix", "home/${aws:username}/*", "home/alice/docs", true },
        { "StringLike", "s3:prefix", "home/${aws:username}/*", "home/bob/docs", false },
        { "StringEquals", "s3:prefix", "${s3:delimiter, 'none'}", "none", true },
        { "StringLike", "s3:prefix", "literal${*}", "literal*", true },
        { "StringLike", "s3:prefix", "literal${*}", "literalX", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluates_one_condition(string op, string key, string policyValues, string requestValues, bool holds)
    {
        var values = string.Join(",", policyValues.Split('|').Select(v => "\"" + v + "\""));
        var json = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\","
            + "\"Resource\":[\"arn:aws:s3:::amzn-s3-demo-bucket\",\"arn:aws:s3:::amzn-s3-demo-bucket/*\"],"
            + "\"Condition\":{\"" + op + "\":{\"" + key + "\":[" + values + "]}}}}";
        var condition = Assert.Single(Assert.Single(PolicyDocument.ParseBucketPolicy(json, Principals.Bucket).Statements).Conditions);
        var context = new PolicyContext().Set("aws:username", "alice");
        if (requestValues != "<absent>")
        {
            context.Set(key, requestValues.Split('|'));
        }

        Assert.Equal(holds, condition.Evaluate(context));
    }

    [Fact]
    public void Json_booleans_and_numbers_are_condition_values()
    {
        var json = """
            {"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*",
             "Condition":{"Bool":{"aws:SecureTransport":false},"NumericGreaterThan":{"s3:max-keys":100}}}}
            """;
        var statement = Assert.Single(PolicyDocument.ParseBucketPolicy(json, Principals.Bucket).Statements);

        Assert.True(statement.Conditions.All(c => c.Evaluate(new PolicyContext().Set("aws:SecureTransport", "false").Set("s3:max-keys", "101"))));
        Assert.False(statement.Conditions.All(c => c.Evaluate(new PolicyContext().Set("aws:SecureTransport", "true").Set("s3:max-keys", "101"))));
    }

    [Fact]
    public void Null_cannot_take_IfExists_or_a_set_qualifier()
    {
        var json = """
            {"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*",
             "Condition":{"NullIfExists":{"s3:x-amz-acl":"true"}}}}
            """;
        var error = Assert.Throws<Tally.Core.Errors.S3Exception>(() => PolicyDocument.ParseBucketPolicy(json, Principals.Bucket));
        Assert.Equal("Invalid Condition type : NullIfExists", error.Message);
    }
}
