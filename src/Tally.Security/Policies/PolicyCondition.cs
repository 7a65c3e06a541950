using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tally.Security.Policies;

/// <summary>
/// One key under one operator of a statement's Condition block, with its values compiled. The
/// semantics are IAM's (reference_policies_elements_condition_operators): values are ORed; a
/// negated operator holds when no value matches; an absent key fails a positive operator and
/// satisfies a negated one; ...IfExists holds when the key is absent; ForAnyValue fails and
/// ForAllValues holds on an absent key; Null tests presence. Immutable and thread-safe.
/// </summary>
public sealed class PolicyCondition
{
    private readonly WildcardPattern[]? _patterns;
    private readonly decimal[]? _numbers;
    private readonly DateTimeOffset[]? _dates;
    private readonly IPNetwork[]? _networks;
    private readonly WildcardPattern[][]? _arnPatterns;
    private readonly bool _variables;

    internal PolicyCondition(string operatorName, ConditionOperator op, bool ifExists, ConditionSetQualifier qualifier, string key, IReadOnlyList<string> values, bool variables)
    {
        OperatorName = operatorName;
        Operator = op;
        IfExists = ifExists;
        Qualifier = qualifier;
        Key = key;
        Values = values;
        _variables = variables;
        switch (op)
        {
            case ConditionOperator.StringLike or ConditionOperator.StringNotLike:
                _patterns = [.. values.Select(v => WildcardPattern.Compile(v, ignoreCase: false, variables))];
                break;
            case ConditionOperator.NumericEquals or ConditionOperator.NumericNotEquals or ConditionOperator.NumericLessThan
                or ConditionOperator.NumericLessThanEquals or ConditionOperator.NumericGreaterThan or ConditionOperator.NumericGreaterThanEquals:
                _numbers = [.. values.Select(v => TryNumber(v) ?? throw new FormatException(v))];
                break;
            case ConditionOperator.DateEquals or ConditionOperator.DateNotEquals or ConditionOperator.DateLessThan
                or ConditionOperator.DateLessThanEquals or ConditionOperator.DateGreaterThan or ConditionOperator.DateGreaterThanEquals:
                _dates = [.. values.Select(v => TryDate(v) ?? throw new FormatException(v))];
                break;
            case ConditionOperator.IpAddress or ConditionOperator.NotIpAddress:
                _networks = [.. values.Select(v => TryNetwork(v) ?? throw new FormatException(v))];
                break;
            case ConditionOperator.ArnEquals or ConditionOperator.ArnLike or ConditionOperator.ArnNotEquals or ConditionOperator.ArnNotLike:
                _arnPatterns = [.. values.Select(v => SplitArn(v).Select(part => WildcardPattern.Compile(part, ignoreCase: false, variables)).ToArray())];
                break;
            case ConditionOperator.Bool or ConditionOperator.Null:
                if (values.Any(v => !bool.TryParse(v, out _)))
                {
                    throw new FormatException(string.Join(",", values));
                }

                break;
        }
    }

    /// <summary>The operator as written, e.g. "ForAnyValue:StringLikeIfExists".</summary>
    public string OperatorName { get; }

    public ConditionOperator Operator { get; }

    public bool IfExists { get; }

    public ConditionSetQualifier Qualifier { get; }

    /// <summary>The condition key, e.g. aws:SourceArn.</summary>
    public string Key { get; }

    /// <summary>The policy's values, as written (JSON numbers and booleans as their text).</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>True for the operators that hold when no value matches (StringNotEquals, NotIpAddress …).</summary>
    public bool IsNegated => Operator is ConditionOperator.StringNotEquals or ConditionOperator.StringNotEqualsIgnoreCase
        or ConditionOperator.StringNotLike or ConditionOperator.NumericNotEquals or ConditionOperator.DateNotEquals
        or ConditionOperator.NotIpAddress or ConditionOperator.ArnNotEquals or ConditionOperator.ArnNotLike;

    /// <summary>Whether the condition holds for the request context.</summary>
    public bool Evaluate(PolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = context.Get(Key);
        var absent = values is null || values.Count == 0;
        if (Operator == ConditionOperator.Null)
        {
            // Values are ORed: {"Null": {"k": ["true", "false"]}} always holds.
            return Values.Any(v => bool.Parse(v) == absent);
        }

        if (absent)
        {
            return IfExists || Qualifier switch
            {
                ConditionSetQualifier.ForAllValues => true,
                ConditionSetQualifier.ForAnyValue => false,
                _ => IsNegated,
            };
        }

        // Per value, a negated operator holds when the value matches none of the policy's values.
        var negated = IsNegated;
        if (Qualifier == ConditionSetQualifier.ForAnyValue)
        {
            foreach (var value in values!)
            {
                if (MatchesAny(value, context) != negated)
                {
                    return true;
                }
            }

            return false;
        }

        // ForAllValues, and the plain form: a positive operator holds when any request value
        // matches; a negated one when no request value matches (every value satisfies it).
        if (Qualifier == ConditionSetQualifier.None && !negated)
        {
            foreach (var value in values!)
            {
                if (MatchesAny(value, context))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var value in values!)
        {
            if (MatchesAny(value, context) == negated)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="value"/> matches any of the policy's values under the operator's positive form.</summary>
    private bool MatchesAny(string value, PolicyContext context)
    {
        switch (Operator)
        {
            case ConditionOperator.StringEquals or ConditionOperator.StringNotEquals:
                return AnyEqual(value, context, StringComparison.Ordinal);
            case ConditionOperator.StringEqualsIgnoreCase or ConditionOperator.StringNotEqualsIgnoreCase:
                return AnyEqual(value, context, StringComparison.OrdinalIgnoreCase);
            case ConditionOperator.StringLike or ConditionOperator.StringNotLike:
                foreach (var pattern in _patterns!)
                {
                    if (pattern.IsMatch(value, context))
                    {
                        return true;
                    }
                }

                return false;
            case ConditionOperator.Bool:
                return AnyEqual(value, context, StringComparison.OrdinalIgnoreCase);
            case ConditionOperator.BinaryEquals:
                return AnyEqual(value, context, StringComparison.Ordinal);
            case ConditionOperator.NumericEquals or ConditionOperator.NumericNotEquals or ConditionOperator.NumericLessThan
                or ConditionOperator.NumericLessThanEquals or ConditionOperator.NumericGreaterThan or ConditionOperator.NumericGreaterThanEquals:
                if (TryNumber(value) is not { } number)
                {
                    return false;
                }

                foreach (var expected in _numbers!)
                {
                    if (Compare(number.CompareTo(expected)))
                    {
                        return true;
                    }
                }

                return false;
            case ConditionOperator.DateEquals or ConditionOperator.DateNotEquals or ConditionOperator.DateLessThan
                or ConditionOperator.DateLessThanEquals or ConditionOperator.DateGreaterThan or ConditionOperator.DateGreaterThanEquals:
                if (TryDate(value) is not { } date)
                {
                    return false;
                }

                foreach (var expected in _dates!)
                {
                    if (Compare(date.CompareTo(expected)))
                    {
                        return true;
                    }
                }

                return false;
            case ConditionOperator.IpAddress or ConditionOperator.NotIpAddress:
                if (!IPAddress.TryParse(value, out var address))
                {
                    return false;
                }

                if (address.IsIPv4MappedToIPv6)
                {
                    address = address.MapToIPv4();
                }

                foreach (var network in _networks!)
                {
                    if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
                    {
                        return true;
                    }
                }

                return false;
            case ConditionOperator.ArnEquals or ConditionOperator.ArnLike or ConditionOperator.ArnNotEquals or ConditionOperator.ArnNotLike:
                var parts = SplitArn(value);
                foreach (var pattern in _arnPatterns!)
                {
                    if (ArnMatches(pattern, parts, context))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private bool AnyEqual(string value, PolicyContext context, StringComparison comparison)
    {
        foreach (var expected in Values)
        {
            var resolved = _variables && expected.Contains("${", StringComparison.Ordinal)
                ? Resolve(expected, context)
                : expected;
            if (resolved is not null && string.Equals(value, resolved, comparison))
            {
                return true;
            }
        }

        return false;
    }

    // Equality operators may use variables too; a pattern of only literals and variables resolves
    // to the text the variables stand for.
    private static string? Resolve(string text, PolicyContext context)
    {
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = text.IndexOf('}', i + 2);
                if (end > 0)
                {
                    var body = text[(i + 2)..end];
                    i = end;
                    if (body is "*" or "?" or "$")
                    {
                        builder.Append(body);
                        continue;
                    }

                    var comma = body.IndexOf(',', StringComparison.Ordinal);
                    var key = (comma < 0 ? body : body[..comma]).Trim();
                    var values = context.Get(key);
                    if (values is { Count: 1 })
                    {
                        builder.Append(values[0]);
                    }
                    else if (values is null or { Count: 0 } && comma >= 0)
                    {
                        builder.Append(body[(comma + 1)..].Trim().Trim('\''));
                    }
                    else
                    {
                        return null;
                    }

                    continue;
                }
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }

    private bool Compare(int order) => Operator switch
    {
        ConditionOperator.NumericEquals or ConditionOperator.NumericNotEquals or ConditionOperator.DateEquals or ConditionOperator.DateNotEquals => order == 0,
        ConditionOperator.NumericLessThan or ConditionOperator.DateLessThan => order < 0,
        ConditionOperator.NumericLessThanEquals or ConditionOperator.DateLessThanEquals => order <= 0,
        ConditionOperator.NumericGreaterThan or ConditionOperator.DateGreaterThan => order > 0,
        ConditionOperator.NumericGreaterThanEquals or ConditionOperator.DateGreaterThanEquals => order >= 0,
        _ => false,
    };

    private static bool ArnMatches(WildcardPattern[] pattern, string[] value, PolicyContext context)
    {
        if (pattern.Length != value.Length)
        {
            return false;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            if (!pattern[i].IsMatch(value[i], context))
            {
                return false;
            }
        }

        return true;
    }

    // An ARN is six colon-separated components; the last (the resource) may itself hold colons.
    // Each component is matched on its own, as IAM documents for the Arn operators.
    private static string[] SplitArn(string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 ? parts : [arn];
    }

    internal static decimal? TryNumber(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    // Dates are ISO 8601 (with or without time and zone; no zone means UTC) or epoch seconds.
    internal static DateTimeOffset? TryDate(string text)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            return DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(epoch, -62135596800L, 253402300799L));
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;
    }

    // CIDR as IAM accepts it: host bits may be set ("203.0.113.5/24" means 203.0.113.0/24), and a
    // bare address is that one address (/32 or /128).
    internal static IPNetwork? TryNetwork(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(slash < 0 ? text : text[..slash], out var address))
        {
            return null;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPNetwork(new IPAddress(bytes), prefix);
    }
}
