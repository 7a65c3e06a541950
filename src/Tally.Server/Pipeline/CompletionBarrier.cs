using System.Collections.Concurrent;

namespace Tally.Server.Pipeline;

/// <summary>
/// Requests whose access-log records are not written yet. A client can read a response before the
/// server's completion callback has run, so a flush first waits for the requests that started
/// before it: "flush after my request" then includes that request's record.
/// </summary>
public sealed class CompletionBarrier(TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(2);
    private readonly ConcurrentDictionary<long, byte> _inFlight = new();
    private long _next;

    public long Enter()
    {
        var id = Interlocked.Increment(ref _next);
        _inFlight[id] = 0;
        return id;
    }

    public void Exit(long id) => _inFlight.TryRemove(id, out _);

    /// <summary>
    /// Waits (at most <paramref name="timeout"/>) until every request entered before this call has
    /// exited, except <paramref name="self"/> (the flush request itself, when it is an S3 request).
    /// </summary>
    public async Task WaitAsync(long? self, TimeSpan timeout, CancellationToken ct)
    {
        var mark = Interlocked.Read(ref _next);
        var started = time.GetTimestamp();
        while (_inFlight.Keys.Any(id => id <= mark && id != self) && time.GetElapsedTime(started) < timeout)
        {
            await Task.Delay(Poll, time, ct);
        }
    }
}
