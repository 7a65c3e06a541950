using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tally.AccessLogs.Delivery;

/// <summary>
/// Names of delivered log objects, in AWS's two <c>TargetObjectKeyFormat</c>s (spec §3.1). Pure.
/// </summary>
/// <remarks>
/// The target prefix is concatenated literally, without adding <c>/</c> (spec §3.1, §9.12). The
/// unique string is AWS's shape (16 upper-case hex characters) but, unlike AWS's, it is derived
/// from the spool segment, so delivering the same segment again overwrites the same object instead
/// of adding a duplicate (DESIGN §3).
/// </remarks>
public static class LogObjectKeys
{
    /// <summary><c>[TargetPrefix]YYYY-mm-DD-HH-MM-SS-UniqueString</c>, with the delivery time in UTC.</summary>
    public static string SimplePrefix(string targetPrefix, DateTimeOffset deliveryTime, string uniqueString)
    {
        ArgumentNullException.ThrowIfNull(targetPrefix);
        CheckUniqueString(uniqueString);
        var t = deliveryTime.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{targetPrefix}{t:yyyy-MM-dd-HH-mm-ss}-{uniqueString}");
    }

    /// <summary>
    /// <c>PartitionedPrefix</c> with <c>PartitionDateSource</c> <c>EventTime</c> (the default): the
    /// date is the UTC day of the records the object holds (one day per object) and the time in the
    /// file name is <c>00-00-00</c> (spec §3.1).
    /// </summary>
    public static string PartitionedByEventTime(string targetPrefix, string sourceAccountId, string sourceRegion, string sourceBucket, DateOnly eventDay, string uniqueString) =>
        Partitioned(targetPrefix, sourceAccountId, sourceRegion, sourceBucket, eventDay.ToDateTime(TimeOnly.MinValue), uniqueString);

    /// <summary><c>PartitionedPrefix</c> with <c>PartitionDateSource</c> <c>DeliveryTime</c>: date and time of delivery, UTC.</summary>
    public static string PartitionedByDeliveryTime(string targetPrefix, string sourceAccountId, string sourceRegion, string sourceBucket, DateTimeOffset deliveryTime, string uniqueString) =>
        Partitioned(targetPrefix, sourceAccountId, sourceRegion, sourceBucket, deliveryTime.UtcDateTime, uniqueString);

    /// <summary>
    /// 16 upper-case hex characters (AWS's observed shape, e.g. <c>E568B2907131C0C0</c>) taken from
    /// the SHA-256 of the segment's identity, so the same segment always gets the same key.
    /// </summary>
    public static string UniqueString(string segmentIdentity)
    {
        ArgumentException.ThrowIfNullOrEmpty(segmentIdentity);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(segmentIdentity), hash);
        return Convert.ToHexString(hash[..8]);
    }

    private static string Partitioned(string targetPrefix, string sourceAccountId, string sourceRegion, string sourceBucket, DateTime t, string uniqueString)
    {
        ArgumentNullException.ThrowIfNull(targetPrefix);
        ArgumentException.ThrowIfNullOrEmpty(sourceAccountId);
        ArgumentException.ThrowIfNullOrEmpty(sourceRegion);
        ArgumentException.ThrowIfNullOrEmpty(sourceBucket);
        CheckUniqueString(uniqueString);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{targetPrefix}{sourceAccountId}/{sourceRegion}/{sourceBucket}/{t:yyyy}/{t:MM}/{t:dd}/{t:yyyy-MM-dd-HH-mm-ss}-{uniqueString}");
    }

    private static void CheckUniqueString(string uniqueString)
    {
        ArgumentException.ThrowIfNullOrEmpty(uniqueString);
        if (uniqueString.AsSpan().ContainsAny('/', ' '))
        {
            throw new ArgumentException("The unique string must not contain '/' or spaces.", nameof(uniqueString));
        }
    }
}
