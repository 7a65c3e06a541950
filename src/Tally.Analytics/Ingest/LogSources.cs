namespace Tally.Analytics.Ingest;

/// <summary>Resolves a <c>--source</c>: a file, directory or glob (<see cref="DirectoryLogSource"/>) or an s3:// prefix (<see cref="S3LogSource"/>).</summary>
public static class LogSources
{
    public static async Task<IReadOnlyList<LogObject>> ListAsync(string source, string? endpoint, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        if (S3LogSource.IsS3Uri(source))
        {
            // The client lives as long as the objects that read through it: the whole command.
            var client = S3LogSource.CreateClient(endpoint);
            return await S3LogSource.ListAsync(client, source, cancellationToken).ConfigureAwait(false);
        }

        return [.. DirectoryLogSource.Enumerate(source)];
    }
}
