using System.Threading.Channels;

namespace Tally.Storage.Disk;

/// <summary>
/// Dedicated threads for the blocking fsync calls of concurrent writes. fsync blocks its thread for
/// milliseconds; on the shared thread pool (which starts with one thread per core and grows
/// slowly) 32 concurrent PUTs would wait for threads rather than for the disk. Here the fsyncs of
/// concurrent writes run truly in parallel, independent of the host's thread-pool settings.
/// </summary>
internal sealed class SyncThreads : IDisposable
{
    private readonly Channel<(Action Work, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(Action, TaskCompletionSource)>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });

    private readonly Thread[] _threads;

    public SyncThreads(int count)
    {
        _threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            _threads[i] = new Thread(Run) { IsBackground = true, Name = "tally-fsync" };
            _threads[i].Start();
        }
    }

    public Task RunAsync(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite((work, done)), this);
        return done.Task;
    }

    public void Dispose()
    {
        if (_queue.Writer.TryComplete())
        {
            foreach (var thread in _threads)
            {
                thread.Join();
            }
        }
    }

    private void Run()
    {
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var item))
            {
                try
                {
                    item.Work();
                    item.Done.SetResult();
                }
#pragma warning disable CA1031 // The exception belongs to the waiting caller.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    item.Done.SetException(e);
                }
            }
        }
    }
}
