using Tally.Core.Errors;
using Tally.Storage;
using Tally.Storage.Model;

namespace Tally.Analytics.Ingest;

/// <summary>
/// Log objects under a bucket and prefix of the server's own store, read through
/// <see cref="IObjectStore"/> rather than over HTTP. They are named <c>s3://bucket/key</c> with the
/// quoted ETag as version, as <see cref="S3LogSource"/> names the same objects read from a running
/// Tally, so the server's ingest and <c>tally logs ingest --source s3://…</c> never load an object twice.
/// </summary>
public static class ObjectStoreLogSource
{
    private const int PageSize = 1000;

    public static async Task<IReadOnlyList<LogObject>> ListAsync(IObjectStore store, string bucket, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        var objects = new List<LogObject>();
        string? after = null;
        while (true)
        {
            var page = await store.ListObjectsAsync(bucket, new ListObjectsQuery(prefix, Delimiter: null, StartAfter: after, MaxKeys: PageSize), cancellationToken).ConfigureAwait(false);
            foreach (var info in page.Objects)
            {
                var key = info.Key;
                objects.Add(new LogObject(
                    $"s3://{bucket}/{key}",
                    info.Size,
                    info.ETag,
                    async ct =>
                    {
                        try
                        {
                            var read = await store.GetObjectAsync(bucket, key, ct).ConfigureAwait(false);
                            return read.Content;
                        }
                        catch (S3Exception e)
                        {
                            // Deleted (by lifecycle, say) after it was listed: this object fails alone.
                            throw new IOException($"s3://{bucket}/{key}: {e.Error.Code}: {e.Message}", e);
                        }
                    }));
            }

            if (!page.IsTruncated || page.NextMarker is null)
            {
                return objects;
            }

            after = page.NextMarker;
        }
    }
}
