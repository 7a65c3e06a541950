using Tally.Core.Errors;
using Tally.Server.Operations.Access;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Objects;

/// <summary>
/// The versionId side of object operations: reading ?versionId=, the x-amz-version-id and
/// x-amz-delete-marker headers, and what a delete marker answers to GET, HEAD and tagging.
/// </summary>
public static class ObjectVersions
{
    public const string VersionIdHeader = "x-amz-version-id";
    public const string DeleteMarkerHeader = "x-amz-delete-marker";

    /// <summary>
    /// The ?versionId= of the request, or null. It is what the access log's Version Id field
    /// records (spec §1.2 field 18: "the version ID in the request").
    /// </summary>
    public static string? Requested(S3RequestContext context)
    {
        var versionId = context.Query("versionId");
        if (versionId is null)
        {
            return null;
        }

        if (versionId.Length == 0)
        {
            throw S3Exception.With(S3Errors.InvalidArgument, "Version id cannot be the empty string", ("ArgumentName", "versionId"), ("ArgumentValue", versionId));
        }

        context.Capture.VersionId = versionId;
        return versionId;
    }

    /// <summary>True once the bucket has had versioning enabled: only then do responses name version ids (the null version as "null").</summary>
    public static bool Versioned(S3RequestContext context) => context.Bucket.Versioning != VersioningStatus.Unversioned;

    /// <summary>x-amz-version-id of the version a read or tagging request acted on.</summary>
    public static void Announce(S3RequestContext context, string versionId)
    {
        if (Versioned(context) || versionId != ObjectVersion.NullId)
        {
            context.Response.Headers[VersionIdHeader] = versionId;
        }
    }

    /// <summary>
    /// x-amz-version-id of a version (or delete marker) a write created. The access log records
    /// it too when the request named none: the record then says which version the PUT made, as
    /// Ceph's logs do; AWS's definition ("the version ID in the request") leaves this open (spec §10).
    /// </summary>
    public static void AnnounceCreated(S3RequestContext context, string versionId)
    {
        if (Versioned(context))
        {
            context.Response.Headers[VersionIdHeader] = versionId;
            context.Capture.VersionId ??= versionId;
        }
    }

    /// <summary>x-amz-copy-source-version-id of CopyObject and UploadPartCopy: the source version copied, when it was named or is not the null version.</summary>
    public static void AnnounceCopySource(S3RequestContext context, CopySource source, ObjectInfo copied)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(copied);
        if (source.VersionId is not null || copied.VersionId != ObjectVersion.NullId)
        {
            context.Response.Headers["x-amz-copy-source-version-id"] = copied.VersionId;
        }
    }

    /// <summary>
    /// <see cref="ReadAsync"/> for GetObject and HeadObject: a missing key (or a latest version
    /// that is a delete marker) is 404 NoSuchKey only for a requester with s3:ListBucket on the
    /// bucket, otherwise 403 AccessDenied without the delete-marker headers (API_GetObject.html,
    /// "Permissions"), so that keys cannot be probed by whoever may only read them.
    /// </summary>
    public static async Task<T> ReadExistingAsync<T>(S3RequestContext context, string? versionId, Func<Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await ReadAsync(context, versionId, read);
        }
        catch (S3Exception error) when (error.Error == S3Errors.NoSuchKey)
        {
            if (await RequestAuthorization.For(context).MayListBucketAsync(context, context.Bucket))
            {
                throw;
            }

            var headers = context.Response.Headers;
            _ = headers.Remove(DeleteMarkerHeader);
            _ = headers.Remove(VersionIdHeader);
            throw new S3Exception(S3Errors.AccessDenied);
        }
    }

    /// <summary>
    /// Runs a read of an object version. When it fails because the addressed version is a
    /// delete marker, the error carries what AWS sends with it: x-amz-delete-marker: true and the
    /// marker's x-amz-version-id, and by version id 405 MethodNotAllowed with Allow: DELETE.
    /// </summary>
    public static async Task<T> ReadAsync<T>(S3RequestContext context, string? versionId, Func<Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read();
        }
        catch (S3Exception error) when (error.Error == S3Errors.NoSuchKey || error.Error == S3Errors.MethodNotAllowed)
        {
            ObjectVersion? marker = null;
            try
            {
                marker = await context.Store.GetObjectVersionAsync(context.BucketName, context.Key, versionId, context.Aborted);
            }
            catch (S3Exception)
            {
                // Gone meanwhile: the original error stands.
            }

            if (marker is not { IsDeleteMarker: true })
            {
                throw;
            }

            var headers = context.Response.Headers;
            headers[DeleteMarkerHeader] = "true";
            headers[VersionIdHeader] = marker.VersionId;
            if (versionId is null)
            {
                throw;
            }

            headers.Allow = "DELETE";
            throw S3Exception.With(S3Errors.MethodNotAllowed, null, ("Method", context.Request.Method), ("ResourceType", "DeleteMarker"));
        }
    }
}
