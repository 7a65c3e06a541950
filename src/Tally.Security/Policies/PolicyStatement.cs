namespace Tally.Security.Policies;

/// <summary>Allow or Deny.</summary>
public enum PolicyEffect
{
    Allow,
    Deny,
}

/// <summary>
/// One statement of a policy, compiled. Principal is null in identity policies (they apply to the
/// user they are attached to). Immutable and thread-safe.
/// </summary>
public sealed class PolicyStatement
{
    private readonly WildcardPattern[] _actions;
    private readonly WildcardPattern[] _resources;

    internal PolicyStatement(
        int index,
        string? sid,
        PolicyEffect effect,
        PolicyPrincipalSet? principal,
        bool notPrincipal,
        WildcardPattern[] actions,
        bool notAction,
        WildcardPattern[] resources,
        bool notResource,
        IReadOnlyList<PolicyCondition> conditions)
    {
        Index = index;
        Sid = sid;
        Effect = effect;
        Principal = principal;
        NotPrincipal = notPrincipal;
        _actions = actions;
        NotAction = notAction;
        _resources = resources;
        NotResource = notResource;
        Conditions = conditions;
    }

    /// <summary>Position in the document, from 0.</summary>
    public int Index { get; }

    public string? Sid { get; }

    /// <summary>How a log line names the statement: its Sid, or its position when it has none.</summary>
    public string Label => Sid ?? $"Statement[{Index}]";

    public PolicyEffect Effect { get; }

    public PolicyPrincipalSet? Principal { get; }

    public bool NotPrincipal { get; }

    public IEnumerable<string> Actions => _actions.Select(a => a.Text);

    public bool NotAction { get; }

    public IEnumerable<string> Resources => _resources.Select(r => r.Text);

    public bool NotResource { get; }

    public IReadOnlyList<PolicyCondition> Conditions { get; }

    /// <summary>
    /// How the statement applies to the request: None when any of principal, action, resource or
    /// conditions does not match; otherwise how the principal was named (Direct for identity policies).
    /// </summary>
    public PrincipalMatch Applies(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var principal = MatchPrincipal(request.Principal);
        if (principal == PrincipalMatch.None
            || AnyMatch(_actions, request.Action, null) == NotAction
            || AnyMatch(_resources, request.Resource, request.Context) == NotResource)
        {
            return PrincipalMatch.None;
        }

        foreach (var condition in Conditions)
        {
            if (!condition.Evaluate(request.Context))
            {
                return PrincipalMatch.None;
            }
        }

        return principal;
    }

    internal IReadOnlyList<WildcardPattern> ActionPatterns => _actions;

    internal IReadOnlyList<WildcardPattern> ResourcePatterns => _resources;

    private PrincipalMatch MatchPrincipal(RequestPrincipal principal)
    {
        if (Principal is null)
        {
            return PrincipalMatch.Direct;
        }

        var match = Principal.Match(principal);
        if (!NotPrincipal)
        {
            return match;
        }

        // NotPrincipal excludes exactly the principals it names: naming an account does not
        // exclude that account's users (IAM documents listing both the user and its account).
        return match == PrincipalMatch.Direct ? PrincipalMatch.None : PrincipalMatch.Direct;
    }

    private static bool AnyMatch(WildcardPattern[] patterns, string value, PolicyContext? context)
    {
        foreach (var pattern in patterns)
        {
            if (pattern.IsMatch(value, context))
            {
                return true;
            }
        }

        return false;
    }
}
