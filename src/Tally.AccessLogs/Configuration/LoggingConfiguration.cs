namespace Tally.AccessLogs.Configuration;

/// <summary>
/// A bucket's <c>LoggingEnabled</c> settings exactly as the owner set them (spec §4.2), so
/// GetBucketLogging returns what PutBucketLogging received: optional parts that were absent stay
/// null rather than taking their defaults.
/// </summary>
/// <param name="TargetBucket">Where log objects are delivered.</param>
/// <param name="TargetPrefix">Prepended literally to every log-object key (spec §3.1: no '/' is added).</param>
/// <param name="TargetGrants">Grants of the <c>TargetGrants</c> element; null when the element was absent.</param>
/// <param name="KeyFormat">The <c>TargetObjectKeyFormat</c> element; null when absent (SimplePrefix applies).</param>
public sealed record LoggingConfiguration(
    string TargetBucket,
    string TargetPrefix,
    IReadOnlyList<TargetGrant>? TargetGrants = null,
    TargetObjectKeyFormat? KeyFormat = null)
{
    /// <summary>The key format deliveries use: the configured one, else SimplePrefix.</summary>
    public TargetObjectKeyFormat EffectiveKeyFormat => KeyFormat ?? TargetObjectKeyFormat.Simple;

    public bool HasGrants => TargetGrants is { Count: > 0 };

    public bool Equals(LoggingConfiguration? other) =>
        other is not null
        && string.Equals(TargetBucket, other.TargetBucket, StringComparison.Ordinal)
        && string.Equals(TargetPrefix, other.TargetPrefix, StringComparison.Ordinal)
        && Equals(KeyFormat, other.KeyFormat)
        && (TargetGrants ?? []).SequenceEqual(other.TargetGrants ?? []);

    public override int GetHashCode() => HashCode.Combine(TargetBucket, TargetPrefix, KeyFormat);
}

/// <summary>Who a <c>TargetGrants/Grant</c> names (spec §4.2, the <c>xsi:type</c> of <c>Grantee</c>).</summary>
public enum GranteeType
{
    CanonicalUser,
    AmazonCustomerByEmail,
    Group,
}

/// <summary>One grant applied to delivered log objects. <paramref name="Permission"/> is AWS's text
/// (FULL_CONTROL, READ, WRITE, and READ_ACP, which AWS accepts beyond its model enum).</summary>
public sealed record TargetGrant(
    GranteeType Type,
    string? Id,
    string? DisplayName,
    string? EmailAddress,
    string? Uri,
    string Permission);

public enum PartitionDateSource
{
    EventTime,
    DeliveryTime,
}

/// <summary>
/// <c>TargetObjectKeyFormat</c>: <c>SimplePrefix</c>, or <c>PartitionedPrefix</c> with an optional
/// <c>PartitionDateSource</c> (absent means EventTime, spec §3.1, §9.12).
/// </summary>
public sealed record TargetObjectKeyFormat(bool Partitioned, PartitionDateSource? DateSource = null)
{
    public static TargetObjectKeyFormat Simple { get; } = new(false);

    public PartitionDateSource EffectiveDateSource => DateSource ?? PartitionDateSource.EventTime;

    /// <summary>Whether each log object may only hold records of one UTC day (PartitionedPrefix + EventTime).</summary>
    public bool OneDayPerObject => Partitioned && EffectiveDateSource == PartitionDateSource.EventTime;
}
