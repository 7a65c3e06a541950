using Tally.Core.Errors;
using Tally.S3.Headers;
using Tally.Server.Operations.Access;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Objects;

/// <summary>
/// The x-amz-copy-source of CopyObject and UploadPartCopy: parsing, permission, the copy-source
/// conditions, and the REST.COPY.*_GET record AWS writes in the source bucket's log (spec §1.7).
/// </summary>
public sealed record CopySource(string Bucket, string Key, string? VersionId)
{
    public static CopySource Parse(string header)
    {
        var value = header;
        string? versionId = null;
        var q = value.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            var query = value[(q + 1)..];
            value = value[..q];
            if (query.StartsWith("versionId=", StringComparison.Ordinal))
            {
                versionId = Uri.UnescapeDataString(query["versionId=".Length..]);
            }
        }

        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(value).TrimStart('/');
        }
        catch (UriFormatException)
        {
            throw InvalidSource();
        }

        var slash = decoded.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == decoded.Length - 1)
        {
            throw InvalidSource();
        }

        return new CopySource(decoded[..slash], decoded[(slash + 1)..], versionId);
    }

    /// <summary>Opens the source for reading after checking the caller may read it and the copy-source conditions hold.</summary>
    public async Task<ObjectRead> OpenAsync(S3RequestContext context, string getLogOperation)
    {
        var bucket = await context.Store.GetBucketAsync(Bucket, context.Aborted)
            ?? throw S3Exception.With(S3Errors.NoSuchBucket, null, ("BucketName", Bucket));
        // The source is read as a GetObject of it: both the source read and the destination write must be allowed.
        RequestAuthorization.RequireExpectedSourceOwner(context, bucket);
        await RequestAuthorization.For(context).RequireAsync(context, VersionId is null ? "s3:GetObject" : "s3:GetObjectVersion", bucket, Key, VersionId);

        ObjectRead read;
        try
        {
            read = await context.Store.GetObjectAsync(Bucket, Key, VersionId, context.Aborted);
        }
        catch (S3Exception error) when (error.Error == S3Errors.MethodNotAllowed)
        {
            // AWS: a delete marker named by version id cannot be a copy source (latest marker: NoSuchKey).
            throw new S3Exception(S3Errors.InvalidRequest, "The source of a copy request may not specifically refer to a delete marker by version id.");
        }

        try
        {
            Conditional.From(context.Header, "x-amz-copy-source-").Check(read.Info.ETag, read.Info.LastModified, S3Errors.PreconditionFailed);
        }
        catch
        {
            await read.DisposeAsync();
            throw;
        }

        context.Capture.Derived.Add(new DerivedRecord(Bucket, bucket.OwnerCanonicalId, getLogOperation, Key, null, null, read.Info.Size, VersionId));
        return read;
    }

    private static S3Exception InvalidSource() =>
        S3Exception.With(S3Errors.InvalidArgument, "Invalid copy source object key", ("ArgumentName", "x-amz-copy-source"));
}
