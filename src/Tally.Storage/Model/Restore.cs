namespace Tally.Storage.Model;

/// <summary>
/// A restore of an archived object (spec §6.6): the temporary copy is readable from
/// <paramref name="ReadyAt"/> until <paramref name="ExpiresAt"/>.
/// </summary>
public sealed record RestoreStatus(DateTimeOffset RequestedAt, DateTimeOffset ReadyAt, DateTimeOffset ExpiresAt, int Days, string Tier)
{
    /// <summary>The x-amz-restore <c>ongoing-request</c> value at <paramref name="now"/>.</summary>
    public bool IsOngoing(DateTimeOffset now) => now < ReadyAt;
}

/// <summary>What a RestoreObject request did (spec §6.6): 202, 409 or 200.</summary>
public enum RestoreOutcome
{
    /// <summary>202 Accepted: a restore was started.</summary>
    Started,

    /// <summary>409 RestoreAlreadyInProgress: nothing changed.</summary>
    AlreadyInProgress,

    /// <summary>202 Accepted: the restore in progress now runs at the request's faster tier.</summary>
    Upgraded,

    /// <summary>200 OK: the object was restored already; its copy now lives until the new expiry.</summary>
    Extended,
}

/// <summary>
/// A restore as the caller computed it: the tier, how many days the copy lives, when it becomes
/// readable and when it expires (the caller owns the calendar; spec §6.6 expiry is a midnight).
/// <paramref name="ExpiresAtIfReadyNow"/> is used when the object is restored already (the
/// lifetime is extended from now).
/// </summary>
public sealed record RestoreRequest(int Days, string Tier, DateTimeOffset ReadyAt, DateTimeOffset ExpiresAt, DateTimeOffset ExpiresAtIfReadyNow);

/// <summary>The retrieval tiers of RestoreObject, fastest first (spec §6.6).</summary>
public static class RestoreTiers
{
    private static readonly string[] Tiers = ["Expedited", "Standard", "Bulk"];

    public static IReadOnlyList<string> FastestFirst => Tiers;

    /// <summary>Whether <paramref name="tier"/> retrieves faster than <paramref name="than"/> (unknown tiers are never faster).</summary>
    public static bool IsFaster(string tier, string than)
    {
        var rank = Array.IndexOf(Tiers, tier);
        var other = Array.IndexOf(Tiers, than);
        return rank >= 0 && other >= 0 && rank < other;
    }
}

/// <summary>What one pass of cold-tier upkeep did.</summary>
public sealed record ColdTierUpkeep(int CopiesRestored, int CopiesExpired, int FilesDeleted);

/// <summary>
/// Which keys a lifecycle scan must read (a necessary condition for anything to be due): a key
/// qualifies when one of its versions was modified at or before <paramref name="ModifiedAtOrBefore"/>,
/// became noncurrent at or before <paramref name="NoncurrentAtOrBefore"/>, or is a delete marker
/// while <paramref name="AnyDeleteMarker"/>. Null bounds select nothing by that condition;
/// <see cref="DateTimeOffset.MaxValue"/> selects everything.
/// </summary>
public sealed record LifecycleCandidates(DateTimeOffset? ModifiedAtOrBefore, DateTimeOffset? NoncurrentAtOrBefore, bool AnyDeleteMarker)
{
    public static LifecycleCandidates All { get; } = new(DateTimeOffset.MaxValue, DateTimeOffset.MaxValue, AnyDeleteMarker: true);
}
