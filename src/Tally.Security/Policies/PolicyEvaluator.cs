namespace Tally.Security.Policies;

/// <summary>What one policy says about one request.</summary>
public enum PolicyDecision
{
    /// <summary>No statement applies (an implicit deny, unless something else allows).</summary>
    NotApplicable,

    /// <summary>An Allow statement applies and no Deny does.</summary>
    Allow,

    /// <summary>A Deny statement applies: an explicit deny, which nothing overrides.</summary>
    Deny,
}

/// <summary>
/// The result of evaluating one policy: the decision, the statement that made it (the first
/// Deny that applies, or the Allow that applies most directly), and for an Allow how the caller
/// was named (a caller named only through its account needs its own identity allow too).
/// </summary>
public readonly record struct PolicyEvaluation(PolicyDecision Decision, PolicyStatement? Statement, PrincipalMatch Match)
{
    public static PolicyEvaluation NotApplicable => default;

    public bool IsDeny => Decision == PolicyDecision.Deny;

    public bool IsAllow => Decision == PolicyDecision.Allow;
}

/// <summary>Evaluates one policy document against one request. Pure and thread-safe.</summary>
public static class PolicyEvaluator
{
    /// <summary>
    /// Explicit deny wins: the first Deny statement that applies decides. Otherwise an applying
    /// Allow statement allows; one naming the caller directly is preferred over one naming only
    /// its account.
    /// </summary>
    public static PolicyEvaluation Evaluate(PolicyDocument policy, PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        PolicyStatement? allow = null;
        var allowMatch = PrincipalMatch.None;
        foreach (var statement in policy.Statements)
        {
            // Skip Allows that cannot improve on the one found: Deny statements must still be checked.
            if (statement.Effect == PolicyEffect.Allow && allowMatch == PrincipalMatch.Direct)
            {
                continue;
            }

            var match = statement.Applies(request);
            if (match == PrincipalMatch.None)
            {
                continue;
            }

            if (statement.Effect == PolicyEffect.Deny)
            {
                return new PolicyEvaluation(PolicyDecision.Deny, statement, match);
            }

            if (match > allowMatch)
            {
                allow = statement;
                allowMatch = match;
            }
        }

        return allow is null ? PolicyEvaluation.NotApplicable : new PolicyEvaluation(PolicyDecision.Allow, allow, allowMatch);
    }
}
