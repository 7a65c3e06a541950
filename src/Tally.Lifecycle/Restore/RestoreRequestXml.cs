using System.Globalization;
using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Storage.Model;

namespace Tally.Lifecycle.Restore;

/// <summary>The RestoreObject request as given: how many days the copy lives and the retrieval tier.</summary>
public sealed record RestoreObjectRequest(int Days, string Tier);

/// <summary>
/// The <c>RestoreRequest</c> body of RestoreObject (spec §6.6): <c>Days</c> and
/// <c>GlacierJobParameters/Tier</c> (Expedited, Standard — the default — or Bulk).
/// </summary>
public static class RestoreRequestXml
{
    public static IReadOnlyList<string> Tiers => RestoreTiers.FastestFirst;

    public static RestoreObjectRequest Parse(ReadOnlySpan<byte> body)
    {
        var root = S3Xml.ParseRequest(body, "RestoreRequest");

        // SELECT-type restores (no Days) are not supported: a copy needs a lifetime.
        var daysText = root.ChildValue("Days") ?? throw new S3Exception(S3Errors.MalformedXML);
        if (!int.TryParse(daysText.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var days))
        {
            throw new S3Exception(S3Errors.MalformedXML);
        }

        if (days < 1)
        {
            throw S3Exception.With(S3Errors.InvalidArgument, "Days must be a positive integer", ("ArgumentName", "Days"), ("ArgumentValue", daysText));
        }

        var tier = root.Child("GlacierJobParameters")?.ChildValue("Tier") ?? root.ChildValue("Tier") ?? "Standard";
        if (!Tiers.Contains(tier, StringComparer.Ordinal))
        {
            throw new S3Exception(S3Errors.MalformedXML);
        }

        return new RestoreObjectRequest(days, tier);
    }
}
