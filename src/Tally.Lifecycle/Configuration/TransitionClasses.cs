using Tally.Storage.Model;

namespace Tally.Lifecycle.Configuration;

/// <summary>
/// The storage classes a lifecycle rule may transition to (spec §6.2) with the facts the rules
/// need about each: minimum age (§6.4), the allowed waterfall (§6.4), the log operation a
/// transition writes (§2.5) and which class is cheaper when two transitions are due (§6.3).
/// </summary>
public static class TransitionClasses
{
    /// <summary>The six transition targets of the AWS model's <c>TransitionStorageClass</c>.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        StorageClasses.Glacier,
        StorageClasses.StandardIa,
        StorageClasses.OnezoneIa,
        StorageClasses.IntelligentTiering,
        StorageClasses.DeepArchive,
        StorageClasses.GlacierIr,
    ];

    public static bool IsTarget(string storageClass) => All.Contains(storageClass, StringComparer.Ordinal);

    /// <summary>spec §6.4: objects must be 30 days old (current or noncurrent) before STANDARD_IA / ONEZONE_IA.</summary>
    public static int MinimumDays(string storageClass) =>
        storageClass is StorageClasses.StandardIa or StorageClasses.OnezoneIa ? 30 : 0;

    /// <summary>spec §2.5: the operation of the <c>S3.*</c> record a transition writes.</summary>
    public static string LogOperation(string storageClass) => storageClass switch
    {
        StorageClasses.StandardIa => "S3.TRANSITION_SIA.OBJECT",
        StorageClasses.OnezoneIa => "S3.TRANSITION_ZIA.OBJECT",
        StorageClasses.IntelligentTiering => "S3.TRANSITION_INT.OBJECT",
        StorageClasses.GlacierIr => "S3.TRANSITION_GIR.OBJECT",
        StorageClasses.Glacier => "S3.TRANSITION.OBJECT",
        StorageClasses.DeepArchive => "S3.TRANSITION_GDA.OBJECT",
        _ => throw new ArgumentOutOfRangeException(nameof(storageClass), storageClass, "Not a transition target."),
    };

    /// <summary>
    /// The waterfall of spec §6.4 (AWS's "supported lifecycle transitions"): STANDARD goes
    /// anywhere; everything but DEEP_ARCHIVE goes down to GLACIER / DEEP_ARCHIVE; STANDARD_IA to
    /// INTELLIGENT_TIERING, ONEZONE_IA or GLACIER_IR; INTELLIGENT_TIERING to ONEZONE_IA or
    /// GLACIER_IR; nothing goes back up.
    /// </summary>
    public static bool CanTransition(string from, string to)
    {
        if (string.Equals(from, to, StringComparison.Ordinal) || !IsTarget(to))
        {
            return false;
        }

        return from switch
        {
            StorageClasses.Standard or StorageClasses.ReducedRedundancy => true,
            StorageClasses.DeepArchive => false,
            StorageClasses.Glacier => to is StorageClasses.DeepArchive,
            StorageClasses.StandardIa => to is StorageClasses.IntelligentTiering or StorageClasses.OnezoneIa or StorageClasses.GlacierIr
                or StorageClasses.Glacier or StorageClasses.DeepArchive,
            StorageClasses.IntelligentTiering => to is StorageClasses.OnezoneIa or StorageClasses.GlacierIr
                or StorageClasses.Glacier or StorageClasses.DeepArchive,
            _ => to is StorageClasses.Glacier or StorageClasses.DeepArchive,
        };
    }

    /// <summary>Lower is cheaper to store. spec §6.3: among due transitions the cheaper class wins.</summary>
    public static int CostRank(string storageClass) => storageClass switch
    {
        StorageClasses.DeepArchive => 0,
        StorageClasses.Glacier => 1,
        StorageClasses.GlacierIr => 2,
        StorageClasses.OnezoneIa => 3,
        StorageClasses.StandardIa => 4,
        StorageClasses.IntelligentTiering => 5,
        _ => 6,
    };
}
