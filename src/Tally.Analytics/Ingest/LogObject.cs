namespace Tally.Analytics.Ingest;

/// <summary>
/// One log object to load: a file or an S3 object. Its identity for idempotent ingest is
/// (<see cref="Name"/>, <see cref="Size"/>, <see cref="Version"/>): the ETag for an S3 object, the
/// last-write time for a file. A log object loaded once is never loaded again.
/// </summary>
public sealed record LogObject(string Name, long Size, string Version, Func<CancellationToken, Task<Stream>> OpenAsync);
