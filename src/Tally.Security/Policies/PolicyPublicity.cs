using System.Net.Sockets;

namespace Tally.Security.Policies;

/// <summary>
/// S3's test for a public bucket policy (access-control-block-public-access, "The meaning of
/// public"): an Allow to everyone is public unless a condition fixes one of the keys below to
/// specific values (no wildcard), or aws:SourceIp to ranges no wider than /8 (IPv4) or /32 (IPv6).
/// Conditions a request without the key satisfies (IfExists, ForAllValues, negated operators)
/// confine nothing.
/// </summary>
internal static class PolicyPublicity
{
    private static readonly HashSet<string> ConfiningKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "aws:SourceArn", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceAccount", "aws:SourceOwner", "aws:PrincipalAccount",
        "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:userid", "s3:DataAccessPointArn", "s3:DataAccessPointAccount",
    };

    public static bool IsPublic(PolicyStatement statement)
    {
        if (statement.Effect != PolicyEffect.Allow || statement.Principal is null)
        {
            return false;
        }

        var everyone = statement.NotPrincipal || statement.Principal.Everyone;
        if (!everyone)
        {
            return false;
        }

        return !statement.Conditions.Any(Confines);
    }

    private static bool Confines(PolicyCondition condition)
    {
        if (condition.IfExists || condition.IsNegated || condition.Qualifier == ConditionSetQualifier.ForAllValues)
        {
            return false;
        }

        if (string.Equals(condition.Key, "aws:SourceIp", StringComparison.OrdinalIgnoreCase))
        {
            return condition.Operator == ConditionOperator.IpAddress && condition.Values.All(v =>
                PolicyCondition.TryNetwork(v) is { } network
                && network.PrefixLength >= (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 8 : 32));
        }

        if (!ConfiningKeys.Contains(condition.Key))
        {
            return false;
        }

        return condition.Operator switch
        {
            ConditionOperator.StringEquals or ConditionOperator.StringEqualsIgnoreCase or ConditionOperator.ArnEquals => true,
            ConditionOperator.StringLike or ConditionOperator.ArnLike => condition.Values.All(v => !v.Contains('*', StringComparison.Ordinal) && !v.Contains('?', StringComparison.Ordinal)),
            _ => false,
        };
    }
}
