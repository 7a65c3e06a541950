using System.IO.Compression;

namespace Tally.Analytics.Ingest;

/// <summary>
/// The text of a log object, plain or gzip (recognised by its magic bytes, not its name: AWS log
/// objects have no extension). A gzip object may hold several members one after another (what
/// <c>cat a.gz b.gz</c> makes and what appending log shippers write): every member is read.
/// </summary>
/// <remarks>
/// <para>zlib checks each complete member against its trailer (CRC-32 and length), but .NET's
/// GZipStream ends silently when the input stops inside a member, so a truncated object would look
/// complete. To tell the two apart, the compressed input is followed by one more small member of
/// known content (<see cref="EndMarker"/>): zlib only reaches it as a fresh member when the object
/// ended exactly after a complete one, so its content coming out last proves the object whole.
/// After a cut the marker's bytes continue the unfinished member and never decode to the marker
/// (zlib rejects them, or runs out of input). The marker is held back from the reader.</para>
/// <para>A truncated object, like a damaged one, fails with an <see cref="InvalidDataException"/>
/// that says which.</para>
/// </remarks>
internal sealed class LogObjectContent : IAsyncDisposable
{
    /// <summary>NULs around a name: no log line holds a NUL, so a real object never ends like this.</summary>
    private static readonly byte[] EndMarker = "\0\0tally: end of gzip input\0\0"u8.ToArray();

    private static readonly byte[] EndMember = Compress(EndMarker);

    private readonly RawStream _raw;
    private readonly MarkerStream? _decoded;

    private LogObjectContent(RawStream raw, MarkerStream? decoded)
    {
        _raw = raw;
        _decoded = decoded;
        Stream = decoded ?? (Stream)raw;
    }

    public Stream Stream { get; }

    public bool IsGzip => _decoded is not null;

    /// <summary>Bytes of the stored object read so far (compressed, for a gzip object).</summary>
    public long RawBytesRead => _raw.Total;

    public static async Task<LogObjectContent> OpenAsync(Stream raw, CancellationToken cancellationToken)
    {
        var magic = new byte[2];
        var got = 0;
        while (got < magic.Length)
        {
            var n = await raw.ReadAsync(magic.AsMemory(got), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            got += n;
        }

        if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            var input = new RawStream(magic, raw, EndMember);
            return new LogObjectContent(input, new MarkerStream(new GZipStream(input, CompressionMode.Decompress), EndMarker, input));
        }

        return new LogObjectContent(new RawStream(magic.AsMemory(0, got), raw, ReadOnlyMemory<byte>.Empty), null);
    }

    /// <summary>Throws <see cref="InvalidDataException"/> when a gzip object was cut short.</summary>
    public void VerifyComplete()
    {
        if (_decoded is { EndedWithMarker: false })
        {
            throw new InvalidDataException(
                $"truncated gzip: the file ends inside a gzip member ({_raw.Total} bytes read, {_decoded.Length} decompressed), or has data after its last member; nothing from this file was loaded");
        }
    }

    public async ValueTask DisposeAsync() => await Stream.DisposeAsync().ConfigureAwait(false);

    private static byte[] Compress(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>Replays a prefix, then the rest of the stream, then <c>suffix</c> (not counted in <see cref="Total"/>).</summary>
    private sealed class RawStream(ReadOnlyMemory<byte> prefix, Stream inner, ReadOnlyMemory<byte> suffix) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;
        private ReadOnlyMemory<byte> _suffix = suffix;

        public long Total { get; private set; }

        /// <summary>Whether the stored object has been read to its end (the suffix comes next).</summary>
        public bool InnerEnded { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Total; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (!_prefix.IsEmpty)
            {
                return Replay(ref _prefix, buffer, counted: true);
            }

            if (!InnerEnded)
            {
                var n = inner.Read(buffer);
                if (n > 0 || buffer.IsEmpty)
                {
                    Total += n;
                    return n;
                }

                InnerEnded = true;
            }

            return Replay(ref _suffix, buffer, counted: false);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_prefix.IsEmpty || InnerEnded)
            {
                return Read(buffer.Span);
            }

            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n > 0 || buffer.IsEmpty)
            {
                Total += n;
                return n;
            }

            InnerEnded = true;
            return Read(buffer.Span);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Replay(ref ReadOnlyMemory<byte> source, Span<byte> buffer, bool counted)
        {
            var n = Math.Min(buffer.Length, source.Length);
            source.Span[..n].CopyTo(buffer);
            source = source[n..];
            if (counted)
            {
                Total += n;
            }

            return n;
        }
    }

    /// <summary>
    /// Passes decompressed bytes through but holds back the last <c>marker.Length</c> of them, and at
    /// the end tells whether they were the marker. Turns zlib's errors into a reason a user can act on.
    /// </summary>
    private sealed class MarkerStream(Stream inner, byte[] marker, RawStream input) : Stream
    {
        private readonly byte[] _buffer = new byte[(64 * 1024) + marker.Length];

        // _buffer[_start.._ready] may be passed on; _buffer[_ready.._end] is held back (at most marker.Length).
        private int _start;
        private int _ready;
        private int _end;
        private bool _ended;

        /// <summary>Whether the decompressed data ended with the marker (known once a read returned 0).</summary>
        public bool EndedWithMarker { get; private set; }

        /// <summary>Decompressed bytes passed on.</summary>
        public override long Length => Position;

        public override long Position { get; set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_start == _ready && !_ended && !buffer.IsEmpty)
            {
                int n;
                try
                {
                    PrepareFill();
                    n = inner.Read(_buffer.AsSpan(_end));
                }
                catch (InvalidDataException e)
                {
                    throw Corrupt(e);
                }

                Filled(n);
            }

            return Pass(buffer);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_start == _ready && !_ended && !buffer.IsEmpty)
            {
                int n;
                try
                {
                    PrepareFill();
                    n = await inner.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    throw Corrupt(e);
                }

                Filled(n);
            }

            return Pass(buffer.Span);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        // zlib asks for input past the object's end only after accepting all of it, so an error
        // from then on comes from the marker's bytes continuing a member the object left unfinished.
        private InvalidDataException Corrupt(InvalidDataException e) => input.InnerEnded
            ? new($"truncated gzip: the file ends inside a gzip member ({input.Total} bytes read, {Position} decompressed); nothing from this file was loaded", e)
            : new($"corrupt gzip: the data after {Position} decompressed bytes is damaged or fails its CRC-32/length check ({e.Message}); nothing from this file was loaded", e);

        /// <summary>Moves the held-back bytes to the front, to read behind them.</summary>
        private void PrepareFill()
        {
            var held = _end - _ready;
            Buffer.BlockCopy(_buffer, _ready, _buffer, 0, held);
            _start = _ready = 0;
            _end = held;
        }

        private void Filled(int n)
        {
            if (n == 0)
            {
                _ended = true;
                EndedWithMarker = _buffer.AsSpan(_ready, _end - _ready).SequenceEqual(marker);
                return;
            }

            _end += n;
            _ready = Math.Max(_start, _end - marker.Length);
        }

        private int Pass(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, _ready - _start);
            _buffer.AsSpan(_start, n).CopyTo(buffer);
            _start += n;
            Position += n;
            return n;
        }
    }
}
