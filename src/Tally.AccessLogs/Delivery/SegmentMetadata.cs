using System.Text.Json;
using Tally.AccessLogs.Configuration;
using Tally.Storage.Model;

namespace Tally.AccessLogs.Delivery;

/// <summary>
/// The sidecar of a spool segment (<c>ID.json</c> beside <c>ID.log</c>): where its records go,
/// fixed when the segment is opened, and, once sealed, the log-object key it is delivered under.
/// The key is fixed at sealing and derived from the segment's identity, so delivering a segment
/// again after a crash overwrites the same object (DESIGN §3). The TargetGrants are fixed with the
/// target: records are delivered under the grants of the configuration they were written under.
/// </summary>
public sealed record SegmentMetadata(
    string SegmentId,
    string SourceBucket,
    string SourceAccountId,
    string SourceOwnerCanonicalId,
    string SourceRegion,
    DateTimeOffset SourceCreatedAt,
    string TargetBucket,
    string TargetPrefix,
    bool Partitioned,
    PartitionDateSource? DateSource,
    DateOnly? EventDay,
    DateTimeOffset OpenedAt,
    DateTimeOffset? SealedAt = null,
    string? Key = null,
    IReadOnlyList<TargetGrant>? TargetGrants = null)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public BucketInfo Source => new(SourceBucket, SourceAccountId, SourceOwnerCanonicalId, SourceRegion, SourceCreatedAt);

    public static SegmentMetadata Open(string segmentId, ActiveLogging active, DateOnly? eventDay, DateTimeOffset openedAt)
    {
        ArgumentNullException.ThrowIfNull(active);
        var source = active.Source;
        var configuration = active.Configuration;
        var format = configuration.EffectiveKeyFormat;
        return new SegmentMetadata(
            segmentId,
            source.Name,
            source.OwnerAccountId,
            source.OwnerCanonicalId,
            source.Region,
            source.CreatedAt,
            configuration.TargetBucket,
            configuration.TargetPrefix,
            format.Partitioned,
            format.Partitioned ? format.EffectiveDateSource : null,
            eventDay,
            openedAt,
            TargetGrants: configuration.TargetGrants);
    }

    /// <summary>The sealed form: the seal time and the deterministic key (spec §3.1 formats).</summary>
    public SegmentMetadata Seal(DateTimeOffset sealedAt)
    {
        var unique = LogObjectKeys.UniqueString(SourceBucket + "/" + SegmentId);
        string key;
        if (!Partitioned)
        {
            key = LogObjectKeys.SimplePrefix(TargetPrefix, sealedAt, unique);
        }
        else if (DateSource == PartitionDateSource.DeliveryTime)
        {
            key = LogObjectKeys.PartitionedByDeliveryTime(TargetPrefix, SourceAccountId, SourceRegion, SourceBucket, sealedAt, unique);
        }
        else
        {
            var day = EventDay ?? DateOnly.FromDateTime(OpenedAt.UtcDateTime);
            key = LogObjectKeys.PartitionedByEventTime(TargetPrefix, SourceAccountId, SourceRegion, SourceBucket, day, unique);
        }

        return this with { SealedAt = sealedAt, Key = key };
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static SegmentMetadata FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<SegmentMetadata>(json, Json) ?? throw new JsonException("empty segment metadata");
}
