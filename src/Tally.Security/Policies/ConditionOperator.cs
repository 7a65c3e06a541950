namespace Tally.Security.Policies;

/// <summary>The IAM condition operators Tally evaluates (without the IfExists / ForAnyValue / ForAllValues decorations).</summary>
public enum ConditionOperator
{
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

/// <summary>How a condition treats a key with several values (IAM's set operators).</summary>
public enum ConditionSetQualifier
{
    /// <summary>No qualifier: a single-valued comparison (any value matching is enough).</summary>
    None,

    /// <summary>ForAnyValue: at least one request value satisfies the operator; an absent key fails.</summary>
    ForAnyValue,

    /// <summary>ForAllValues: every request value satisfies the operator; an absent key holds.</summary>
    ForAllValues,
}
