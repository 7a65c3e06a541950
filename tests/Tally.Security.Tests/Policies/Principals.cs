using Tally.Security.Policies;

namespace Tally.Security.Tests.Policies;

/// <summary>The callers the tables use: two accounts, a user of each, anonymous, the logging service.</summary>
internal static class Principals
{
    public const string OwnerAccount = "111122223333";
    public const string OtherAccount = "444455556666";
    public const string Bucket = "amzn-s3-demo-bucket";

    public static readonly string OwnerCanonical = new('a', 64);
    public static readonly string OtherCanonical = new('b', 64);

    public static readonly RequestPrincipal OwnerRoot = new(PrincipalKind.AccountRoot, OwnerAccount, OwnerCanonical, $"arn:aws:iam::{OwnerAccount}:root", "root", null);
    public static readonly RequestPrincipal OwnerUser = new(PrincipalKind.User, OwnerAccount, OwnerCanonical, $"arn:aws:iam::{OwnerAccount}:user/alice", "alice", null);
    public static readonly RequestPrincipal OtherRoot = new(PrincipalKind.AccountRoot, OtherAccount, OtherCanonical, $"arn:aws:iam::{OtherAccount}:root", "root", null);
    public static readonly RequestPrincipal OtherUser = new(PrincipalKind.User, OtherAccount, OtherCanonical, $"arn:aws:iam::{OtherAccount}:user/bob", "bob", null);
    public static readonly RequestPrincipal Anonymous = RequestPrincipal.Anonymous;
    public static readonly RequestPrincipal Logging = RequestPrincipal.LogDelivery;

    public static RequestPrincipal ByName(string name) => name switch
    {
        "owner-root" => OwnerRoot,
        "owner-user" => OwnerUser,
        "other-root" => OtherRoot,
        "other-user" => OtherUser,
        "anonymous" => Anonymous,
        "logging" => Logging,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown principal"),
    };

    /// <summary>A request with the keys every authenticated HTTPS request from 192.0.2.10 has.</summary>
    public static PolicyRequest Request(RequestPrincipal principal, string action, string resource, Action<PolicyContext>? keys = null)
    {
        var context = new PolicyContext()
            .Set("aws:SecureTransport", "true")
            .Set("aws:SourceIp", "192.0.2.10")
            .Set("aws:CurrentTime", "2024-06-01T12:00:00Z");
        if (principal.AccountId is not null)
        {
            context.Set("aws:PrincipalAccount", principal.AccountId).Set("aws:PrincipalArn", principal.Arn);
        }

        if (principal.Kind == PrincipalKind.User)
        {
            context.Set("aws:username", principal.UserName);
        }

        keys?.Invoke(context);
        return new PolicyRequest(principal, action, resource, context);
    }
}
