using Tally.Server.Operations.Lifecycle;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Objects;

public static class GetObject
{
    private const int CopyBufferBytes = 256 * 1024;

    public static async Task HandleAsync(S3RequestContext context)
    {
        var versionId = ObjectVersions.Requested(context);
        await using var read = await ObjectVersions.ReadExistingAsync(context, versionId, () => context.Store.GetObjectAsync(context.BucketName, context.Key, versionId, context.Aborted));
        ObjectVersions.Announce(context, read.Info.VersionId);
        await LifecycleResponseHeaders.WriteAsync(context, read.Info, restore: true);
        var plan = ObjectReadPlan.Prepare(context, read.Info);
        context.Response.StatusCode = plan.Status;
        var content = read.Content;
        long remaining = read.Info.Size;
        if (plan.Range is { } range)
        {
            content.Seek(range.Offset, SeekOrigin.Begin);
            remaining = range.Length;
        }

        await CopyAsync(content, context.Response.Body, remaining, context.Aborted);
    }

    private static async Task CopyAsync(Stream source, Stream destination, long length, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(CopyBufferBytes, Math.Max(length, 1)));
        try
        {
            while (length > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), ct);
                if (read == 0)
                {
                    throw new IOException("Object data ended before its recorded size.");
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), ct);
                length -= read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
