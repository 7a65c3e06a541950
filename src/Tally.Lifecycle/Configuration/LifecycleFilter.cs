namespace Tally.Lifecycle.Configuration;

/// <summary>How a rule named its objects in the XML, so that GET returns the shape that was PUT.</summary>
public enum LifecycleFilterForm
{
    /// <summary>The deprecated rule-level <c>&lt;Prefix&gt;</c> (no <c>Filter</c>).</summary>
    RulePrefix,

    /// <summary><c>&lt;Filter&gt;</c> with at most one predicate (empty = the whole bucket).</summary>
    Filter,

    /// <summary><c>&lt;Filter&gt;&lt;And&gt;…&lt;/And&gt;&lt;/Filter&gt;</c>.</summary>
    And,
}

public sealed record LifecycleTag(string Key, string Value);

/// <summary>
/// Which objects a rule applies to (spec §6.2): every predicate must hold. Size bounds are
/// exclusive, as in AWS (<c>ObjectSizeGreaterThan</c> 500 does not match a 500-byte object).
/// </summary>
public sealed record LifecycleFilter
{
    public static LifecycleFilter Everything { get; } = new();

    public LifecycleFilterForm Form { get; init; } = LifecycleFilterForm.Filter;

    public string? Prefix { get; init; }

    public IReadOnlyList<LifecycleTag> Tags { get; init; } = [];

    public long? ObjectSizeGreaterThan { get; init; }

    public long? ObjectSizeLessThan { get; init; }

    public bool HasTags => Tags.Count > 0;

    public bool HasSize => ObjectSizeGreaterThan is not null || ObjectSizeLessThan is not null;

    public static LifecycleFilter ForPrefix(string prefix) => new() { Prefix = prefix };

    public bool Matches(string key, long size, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(tags);
        if (Prefix is { Length: > 0 } prefix && !key.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (ObjectSizeGreaterThan is { } greater && size <= greater)
        {
            return false;
        }

        if (ObjectSizeLessThan is { } less && size >= less)
        {
            return false;
        }

        foreach (var tag in Tags)
        {
            if (!tags.TryGetValue(tag.Key, out var value) || !string.Equals(value, tag.Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A filter for a key only (multipart uploads have no size or tags yet): prefix alone decides.</summary>
    public bool MatchesKey(string key) =>
        Prefix is not { Length: > 0 } prefix || key.StartsWith(prefix, StringComparison.Ordinal);
}
