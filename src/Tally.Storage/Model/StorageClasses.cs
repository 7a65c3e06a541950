namespace Tally.Storage.Model;

/// <summary>
/// The storage classes an object can be in (spec §6.4) and the facts storage itself needs about
/// them: which live in the cold tier and which are archived (unreadable until restored, §6.6).
/// </summary>
public static class StorageClasses
{
    public const string Standard = "STANDARD";
    public const string ReducedRedundancy = "REDUCED_REDUNDANCY";
    public const string StandardIa = "STANDARD_IA";
    public const string OnezoneIa = "ONEZONE_IA";
    public const string IntelligentTiering = "INTELLIGENT_TIERING";
    public const string Glacier = "GLACIER";
    public const string DeepArchive = "DEEP_ARCHIVE";
    public const string GlacierIr = "GLACIER_IR";

    /// <summary>GLACIER and DEEP_ARCHIVE: GET answers 403 InvalidObjectState until a restore completes (spec §6.6).</summary>
    public static bool IsArchived(string storageClass) =>
        storageClass is Glacier or DeepArchive;
}
