using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Tally.Analytics.Ingest;

/// <summary>
/// The text of a log object, plain or gzip (recognised by its magic bytes, not its name: AWS log
/// objects have no extension). .NET's GZipStream ends silently on a truncated file, so the content
/// is checked against the gzip trailer (CRC-32 and length) when it has been read to the end.
/// </summary>
/// <remarks>The trailer check covers single-member gzip files (what <c>gzip</c> writes); a file of
/// several concatenated members fails the check and is reported like a damaged one.</remarks>
internal sealed class LogObjectContent : IAsyncDisposable
{
    private readonly TailStream _raw;
    private readonly CrcStream? _decoded;

    private LogObjectContent(TailStream raw, CrcStream? decoded)
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

        var tail = new TailStream(magic.AsMemory(0, got), raw);
        if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            return new LogObjectContent(tail, new CrcStream(new GZipStream(tail, CompressionMode.Decompress)));
        }

        return new LogObjectContent(tail, null);
    }

    /// <summary>Throws <see cref="InvalidDataException"/> when a gzip object was cut short or damaged.</summary>
    public void VerifyComplete()
    {
        if (_decoded is null)
        {
            return;
        }

        // A gzip file is at least a 10-byte header and an 8-byte trailer (RFC 1952).
        var trailer = _raw.Tail;
        if (_raw.Total < 18 || trailer.Length < 8)
        {
            throw new InvalidDataException("truncated gzip: the file ends before the gzip trailer");
        }

        var crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (crc != _decoded.Crc || size != (uint)_decoded.Length)
        {
            throw new InvalidDataException(
                $"truncated or corrupt gzip: {_decoded.Length} bytes decompressed but the gzip trailer does not match (CRC-32 or length); nothing from this file was loaded");
        }
    }

    public async ValueTask DisposeAsync() => await Stream.DisposeAsync().ConfigureAwait(false);

    /// <summary>Replays a prefix, then the rest of the stream, remembering the last 8 bytes read.</summary>
    private sealed class TailStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
    {
        private readonly byte[] _tail = new byte[8];
        private ReadOnlyMemory<byte> _prefix = prefix;
        private int _tailLength;

        public long Total { get; private set; }

        public ReadOnlySpan<byte> Tail => _tail.AsSpan(0, _tailLength);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Total; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n;
            if (!_prefix.IsEmpty)
            {
                n = Math.Min(buffer.Length, _prefix.Length);
                _prefix.Span[..n].CopyTo(buffer);
                _prefix = _prefix[n..];
            }
            else
            {
                n = inner.Read(buffer);
            }

            Remember(buffer[..n]);
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_prefix.IsEmpty)
            {
                return Read(buffer.Span);
            }

            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Remember(buffer.Span[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Remember(ReadOnlySpan<byte> data)
        {
            Total += data.Length;
            if (data.Length >= 8)
            {
                data[^8..].CopyTo(_tail);
                _tailLength = 8;
                return;
            }

            var keep = Math.Min(_tailLength, 8 - data.Length);
            _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
            data.CopyTo(_tail.AsSpan(keep));
            _tailLength = keep + data.Length;
        }

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
    }

    /// <summary>Counts and CRC-32s what it passes through.</summary>
    private sealed class CrcStream(Stream inner) : Stream
    {
        private readonly Crc32 _crc = new();

        public uint Crc => _crc.GetCurrentHashAsUInt32();

        public override long Length => Total;

        private long Total { get; set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Position { get => Total; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            _crc.Append(buffer[..n]);
            Total += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            _crc.Append(buffer.Span[..n]);
            Total += n;
            return n;
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
    }
}
