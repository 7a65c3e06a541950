using System.Collections.Frozen;

namespace Tally.Security.Policies;

/// <summary>How a statement's Principal names a caller.</summary>
public enum PrincipalMatch
{
    /// <summary>The statement does not name the caller.</summary>
    None,

    /// <summary>
    /// The statement names the caller's account (account id, root ARN or canonical user): for a
    /// user of that account this only delegates to the account, so the user also needs an
    /// identity-policy allow (IAM's rule for account principals).
    /// </summary>
    Account,

    /// <summary>The statement names the caller itself (its ARN, its service name, or "*").</summary>
    Direct,
}

/// <summary>
/// A Principal / NotPrincipal element: "*", {"AWS": …}, {"CanonicalUser": …}, {"Service": …}.
/// Immutable and thread-safe.
/// </summary>
public sealed class PolicyPrincipalSet
{
    internal PolicyPrincipalSet(bool everyone, IEnumerable<string> accounts, IEnumerable<string> arns, IEnumerable<string> canonicalUsers, IEnumerable<string> services)
    {
        Everyone = everyone;
        Accounts = accounts.ToFrozenSet(StringComparer.Ordinal);
        Arns = arns.ToFrozenSet(StringComparer.Ordinal);
        CanonicalUsers = canonicalUsers.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        Services = services.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>"*" or {"AWS": "*"}: every caller, anonymous ones included.</summary>
    public bool Everyone { get; }

    /// <summary>Account ids named by id or by arn:aws:iam::ACCOUNT:root.</summary>
    public FrozenSet<string> Accounts { get; }

    /// <summary>User and role ARNs.</summary>
    public FrozenSet<string> Arns { get; }

    public FrozenSet<string> CanonicalUsers { get; }

    public FrozenSet<string> Services { get; }

    /// <summary>How this set names <paramref name="principal"/>.</summary>
    public PrincipalMatch Match(RequestPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (Everyone)
        {
            return PrincipalMatch.Direct;
        }

        switch (principal.Kind)
        {
            case PrincipalKind.Service:
                return Services.Contains(principal.ServiceName!) ? PrincipalMatch.Direct : PrincipalMatch.None;
            case PrincipalKind.AccountRoot:
                return Accounts.Contains(principal.AccountId!) || CanonicalUsers.Contains(principal.CanonicalUserId!) || Arns.Contains(principal.Arn!)
                    ? PrincipalMatch.Direct
                    : PrincipalMatch.None;
            case PrincipalKind.User:
                if (Arns.Contains(principal.Arn!))
                {
                    return PrincipalMatch.Direct;
                }

                return Accounts.Contains(principal.AccountId!) || CanonicalUsers.Contains(principal.CanonicalUserId!)
                    ? PrincipalMatch.Account
                    : PrincipalMatch.None;
            default:
                return PrincipalMatch.None;
        }
    }
}
