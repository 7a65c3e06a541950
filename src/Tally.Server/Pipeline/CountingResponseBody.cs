using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Tally.Server.Pipeline;

/// <summary>
/// The response body as seen by everything after the capture middleware: it counts the body bytes
/// actually written (spec §1.6 Bytes Sent, error XML included), whether handlers write through
/// the stream, the pipe writer or send-file.
/// </summary>
#pragma warning disable CA1001 // The counting stream only wraps Kestrel's body stream, which Kestrel owns and disposes.
public sealed class CountingResponseBody : IHttpResponseBodyFeature
#pragma warning restore CA1001
{
    private readonly IHttpResponseBodyFeature _inner;
    private readonly CountingStream _stream;
    private PipeWriter? _writer;

    public CountingResponseBody(IHttpResponseBodyFeature inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _stream = new CountingStream(inner.Stream);
    }

    public long BytesWritten => _stream.BytesWritten;

    public Stream Stream => _stream;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));

    public void DisableBuffering() => _inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => _inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(_stream, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.CompleteAsync();
        }

        await _inner.CompleteAsync();
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        private long _bytes;

        public long BytesWritten => Interlocked.Read(ref _bytes);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Interlocked.Add(ref _bytes, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Interlocked.Add(ref _bytes, buffer.Length);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            Interlocked.Add(ref _bytes, buffer.Length);
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
