using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.Core.Naming;
using Tally.S3.Xml;
using Tally.Server.Operations.Access;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Buckets;

/// <summary>
/// POST /bucket?delete: up to 1000 keys, per-key results; each deleted key also becomes a
/// BATCH.DELETE.OBJECT record in the bucket's log (spec §2.2).
/// </summary>
public static class DeleteObjects
{
    private const int MaxKeys = 1000;

    public static async Task HandleAsync(S3RequestContext context)
    {
        var body = await RequestBody.ReadAllAsync(context, S3Xml.MaxRequestBytes, checksumRequired: true);
        var root = S3Xml.ParseRequest(body, "Delete");
        var quiet = string.Equals(root.ChildValue("Quiet"), "true", StringComparison.OrdinalIgnoreCase);
        var objects = root.Children("Object").ToList();
        if (objects.Count is 0 or > MaxKeys)
        {
            throw new S3Exception(S3Errors.MalformedXML);
        }

        var result = new XElement(S3Xml.N("DeleteResult"));
        foreach (var entry in objects)
        {
            var key = entry.ChildValue("Key") ?? throw new S3Exception(S3Errors.MalformedXML);
            var versionId = entry.ChildValue("VersionId");
            try
            {
                ObjectKey.Validate(key);

                // Each key is authorised on its own; a denied key is an Error entry, the others proceed.
                await RequestAuthorization.For(context).RequireAsync(context, versionId is null ? "s3:DeleteObject" : "s3:DeleteObjectVersion", context.Bucket, key, versionId);
                var deletion = await context.Store.DeleteObjectAsync(
                    context.BucketName,
                    key,
                    new DeleteObjectOptions { VersionId = versionId, RequesterCanonicalId = context.CallerCanonicalId },
                    context.Aborted);
                var markerId = deletion.DeleteMarker ? deletion.VersionId : null;
                context.Capture.Derived.Add(new DerivedRecord(context.BucketName, context.Bucket.OwnerCanonicalId, "BATCH.DELETE.OBJECT", key, 204, null, deletion.Removed?.Size, versionId ?? markerId));
                if (!quiet)
                {
                    // AWS: DeleteMarker/DeleteMarkerVersionId when a marker was created or the version removed was one.
                    result.Add(new XElement(S3Xml.N("Deleted"),
                        new XElement(S3Xml.N("Key"), key),
                        versionId is null ? null : new XElement(S3Xml.N("VersionId"), versionId),
                        markerId is null ? null : new XElement(S3Xml.N("DeleteMarker"), "true"),
                        markerId is null ? null : new XElement(S3Xml.N("DeleteMarkerVersionId"), markerId)));
                }
            }
            catch (S3Exception error)
            {
                result.Add(new XElement(S3Xml.N("Error"),
                    new XElement(S3Xml.N("Key"), key),
                    versionId is null ? null : new XElement(S3Xml.N("VersionId"), versionId),
                    new XElement(S3Xml.N("Code"), error.Error.Code),
                    new XElement(S3Xml.N("Message"), error.Message)));
            }
        }

        await S3Responses.WriteXmlAsync(context, result);
    }
}
