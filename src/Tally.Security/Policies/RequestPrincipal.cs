using Tally.Core.Identity;

namespace Tally.Security.Policies;

/// <summary>What kind of caller a request comes from.</summary>
public enum PrincipalKind
{
    /// <summary>An unsigned request.</summary>
    Anonymous,

    /// <summary>An account's root user (requester = the account's canonical user id).</summary>
    AccountRoot,

    /// <summary>An IAM-style user of an account (arn:aws:iam::ACCOUNT:user/NAME).</summary>
    User,

    /// <summary>An AWS service acting on its own, e.g. logging.s3.amazonaws.com delivering logs.</summary>
    Service,
}

/// <summary>The caller as policy evaluation sees it.</summary>
public sealed record RequestPrincipal(PrincipalKind Kind, string? AccountId, string? CanonicalUserId, string? Arn, string? UserName, string? ServiceName)
{
    /// <summary>The service principal S3 server access log delivery acts as (spec §5.1).</summary>
    public const string LogDeliveryService = "logging.s3.amazonaws.com";

    public static RequestPrincipal Anonymous { get; } = new(PrincipalKind.Anonymous, null, null, null, null, null);

    public static RequestPrincipal LogDelivery { get; } = ForService(LogDeliveryService);

    public static RequestPrincipal ForService(string serviceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        return new(PrincipalKind.Service, null, null, null, null, serviceName);
    }

    /// <summary>The principal of an authenticated identity, or <see cref="Anonymous"/> for null.</summary>
    public static RequestPrincipal From(S3Identity? identity) =>
        identity is null
            ? Anonymous
            : new(identity.IsRoot ? PrincipalKind.AccountRoot : PrincipalKind.User, identity.AccountId, identity.CanonicalUserId, identity.Arn, identity.UserName, null);

    public bool IsAnonymous => Kind == PrincipalKind.Anonymous;
}
