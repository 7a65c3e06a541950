namespace Tally.Security.Policies;

/// <summary>
/// The request-context keys a policy's conditions and variables read (aws:SourceIp,
/// aws:SecureTransport, s3:prefix, s3:ExistingObjectTag/&lt;k&gt; …). Key names compare
/// case-insensitively, as IAM compares them; a key that was never set is absent (which the
/// operators treat as IAM documents: a positive operator fails, a negated one holds). Built once
/// per request, then only read; not thread-safe while being built.
/// </summary>
public sealed class PolicyContext
{
    private readonly Dictionary<string, string[]> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A context with no keys.</summary>
    public static PolicyContext Empty { get; } = new();

    /// <summary>Sets a single-valued key; a null value leaves the key absent.</summary>
    public PolicyContext Set(string key, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (ReferenceEquals(this, Empty))
        {
            throw new InvalidOperationException("PolicyContext.Empty is shared; create a new context.");
        }

        if (value is null)
        {
            _values.Remove(key);
        }
        else
        {
            _values[key] = [value];
        }

        return this;
    }

    /// <summary>Sets a multi-valued key (for ForAnyValue / ForAllValues).</summary>
    public PolicyContext Set(string key, IEnumerable<string> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(values);
        if (ReferenceEquals(this, Empty))
        {
            throw new InvalidOperationException("PolicyContext.Empty is shared; create a new context.");
        }

        _values[key] = [.. values];
        return this;
    }

    /// <summary>The key's values, or null when the key is absent.</summary>
    public IReadOnlyList<string>? Get(string key) => _values.TryGetValue(key, out var values) ? values : null;

    public IEnumerable<string> Keys => _values.Keys;
}
