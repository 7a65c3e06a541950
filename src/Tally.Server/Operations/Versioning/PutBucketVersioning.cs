using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Versioning;

/// <summary>
/// PUT /bucket?versioning with a VersioningConfiguration: Status Enabled or Suspended. A bucket
/// never returns to unversioned. MFA delete is not offered: MfaDelete Enabled is NotImplemented,
/// Disabled (what every bucket has) is accepted.
/// </summary>
public static class PutBucketVersioning
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var body = await RequestBody.ReadAllAsync(context, S3Xml.MaxRequestBytes);
        var root = S3Xml.ParseRequest(body, "VersioningConfiguration");
        var mfaDelete = root.ChildValue("MfaDelete");
        switch (mfaDelete)
        {
            case null or "Disabled":
                break;
            case "Enabled":
                throw new S3Exception(S3Errors.NotImplemented, "MFA delete is not implemented by Tally.");
            default:
                throw new S3Exception(S3Errors.MalformedXML);
        }

        var status = root.ChildValue("Status") switch
        {
            null => (VersioningStatus?)null,
            "Enabled" => VersioningStatus.Enabled,
            "Suspended" => VersioningStatus.Suspended,
            _ => throw new S3Exception(S3Errors.MalformedXML),
        };

        // Suspending a bucket that was never versioned changes its state too (AWS: it then
        // answers Suspended and writes null versions exactly as before).
        if (status is { } value)
        {
            await context.Store.PutBucketVersioningAsync(context.BucketName, value, context.Aborted);
        }

        await S3Responses.WriteEmptyAsync(context);
    }
}
