using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Tally.Core.Errors;
using Tally.Security.SigV4;

namespace Tally.Security.Payloads;

/// <summary>
/// Decodes an <c>aws-chunked</c> body (Content-Encoding: aws-chunked) into the object's bytes.
/// Handles STREAMING-AWS4-HMAC-SHA256-PAYLOAD (each chunk signature is verified, chained from the
/// seed signature), STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER (plus the trailer signature) and
/// STREAMING-UNSIGNED-PAYLOAD-TRAILER (what current SDKs send by default). The decoded length must
/// equal x-amz-decoded-content-length. <see cref="Trailers"/> holds the trailing headers once the
/// stream has returned 0. Errors are <see cref="S3Exception"/>s thrown from Read. Not thread-safe.
/// </summary>
public sealed class AwsChunkedReadStream : Stream
{
    private static readonly int BufferSize = 64 * 1024;
    private static readonly int MaxLineLength = 4096;
    private static readonly string ChunkSignaturePrefix = "chunk-signature=";
    private static readonly string TrailerSignatureName = "x-amz-trailer-signature";

    /// <summary>The smallest chunk before the last of a signed streaming upload (AWS: InvalidChunkSizeError).</summary>
    private const int MinChunkSize = 8192;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly bool _signed;
    private readonly bool _hasTrailer;
    private readonly long _decodedContentLength;
    private readonly ChunkSigningContext? _signing;
    private readonly HashSet<string> _declaredTrailers;
    private readonly IncrementalHash? _chunkHash;
    private readonly Dictionary<string, string> _trailers = new(StringComparer.Ordinal);
    private byte[] _buffer;
    private int _start;
    private int _end;
    private State _state = State.ChunkHeader;
    private long _chunkRemaining;
    private long _previousChunkSize = -1;
    private long _decoded;
    private string? _expectedChunkSignature;
    private string? _previousSignature;

    /// <param name="inner">The raw request body.</param>
    /// <param name="payloadHash">The x-amz-content-sha256 value: one of the three STREAMING-* modes.</param>
    /// <param name="decodedContentLength">x-amz-decoded-content-length.</param>
    /// <param name="signing">Required for the signed modes (from <see cref="AuthenticationResult.Chunked"/>).</param>
    /// <param name="declaredTrailers">The x-amz-trailer header (comma-separated names), if any.</param>
    /// <param name="leaveOpen">Whether disposing leaves <paramref name="inner"/> open.</param>
    public AwsChunkedReadStream(
        Stream inner,
        string payloadHash,
        long decodedContentLength,
        ChunkSigningContext? signing,
        string? declaredTrailers,
        bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!SigV4Constants.IsStreaming(payloadHash))
        {
            throw new ArgumentException($"'{payloadHash}' is not an aws-chunked payload mode.", nameof(payloadHash));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(decodedContentLength);
        _signed = payloadHash != SigV4Constants.StreamingUnsignedPayloadTrailer;
        _hasTrailer = payloadHash != SigV4Constants.StreamingSignedPayload;
        if (_signed && signing is null)
        {
            throw new S3Exception(S3Errors.InvalidRequest, $"{payloadHash} requires a request signed with the Authorization header.");
        }

        _inner = inner;
        _leaveOpen = leaveOpen;
        _decodedContentLength = decodedContentLength;
        _signing = signing;
        _previousSignature = signing?.SeedSignature;
        _chunkHash = _signed ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        _declaredTrailers = (declaredTrailers ?? string.Empty)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    private enum State
    {
        ChunkHeader,
        ChunkData,
        ChunkDataEnd,
        Trailer,
        Done,
    }

    /// <summary>Trailing headers (lowercase names, e.g. x-amz-checksum-crc32), complete once <see cref="IsComplete"/>.</summary>
    public IReadOnlyDictionary<string, string> Trailers => _trailers;

    /// <summary>True once the final chunk (and trailer) was read and verified.</summary>
    public bool IsComplete => _state == State.Done;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _decoded;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadSynchronously(buffer.AsMemory(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = ReadSynchronously(rented.AsMemory(0, buffer.Length));
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadCoreAsync(buffer.AsMemory(offset, count), useAsync: true, cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ReadCoreAsync(buffer, useAsync: true, cancellationToken);

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
            _chunkHash?.Dispose();
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }

            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private int ReadSynchronously(Memory<byte> destination)
    {
        var pending = ReadCoreAsync(destination, useAsync: false, CancellationToken.None);
        return pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    // One implementation for both paths: with useAsync false every await completes synchronously.
    // Pooled builder: a read that has to wait does not allocate a new state machine box each time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadCoreAsync(Memory<byte> destination, bool useAsync, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (destination.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            switch (_state)
            {
                case State.ChunkHeader:
                    ParseChunkHeader(await ReadLineAsync(useAsync, cancellationToken));
                    break;

                case State.ChunkData:
                    if (_start == _end && !await FillAsync(useAsync, cancellationToken))
                    {
                        throw Truncated();
                    }

                    var count = (int)Math.Min(Math.Min(destination.Length, _chunkRemaining), _end - _start);
                    var data = _buffer.AsSpan(_start, count);
                    data.CopyTo(destination.Span);
                    _chunkHash?.AppendData(data);
                    _start += count;
                    _chunkRemaining -= count;
                    _decoded += count;
                    if (_decoded > _decodedContentLength)
                    {
                        throw new S3Exception(S3Errors.InvalidRequest, "The aws-chunked body is longer than x-amz-decoded-content-length.");
                    }

                    if (_chunkRemaining == 0)
                    {
                        _state = State.ChunkDataEnd;
                    }

                    return count;

                case State.ChunkDataEnd:
                    if ((await ReadLineAsync(useAsync, cancellationToken)).Length != 0)
                    {
                        throw Malformed("chunk data is not followed by CRLF");
                    }

                    VerifyChunkSignature();
                    _state = State.ChunkHeader;
                    break;

                case State.Trailer:
                    await ReadTrailerAsync(useAsync, cancellationToken);
                    _state = State.Done;
                    break;

                default:
                    return 0;
            }
        }
    }

    private void ParseChunkHeader(string line)
    {
        var semicolon = line.IndexOf(';', StringComparison.Ordinal);
        var sizeText = semicolon < 0 ? line : line[..semicolon];
        if (sizeText.Length is 0 or > 16
            || !long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size)
            || size < 0)
        {
            throw Malformed($"invalid chunk size '{sizeText}'");
        }

        if (_signed)
        {
            var extension = semicolon < 0 ? string.Empty : line[(semicolon + 1)..];
            if (!extension.StartsWith(ChunkSignaturePrefix, StringComparison.Ordinal))
            {
                throw Malformed("a chunk has no chunk-signature");
            }

            _expectedChunkSignature = extension[ChunkSignaturePrefix.Length..];
        }

        if (size > 0)
        {
            // Signed streaming uploads: every chunk but the last carries at least 8 KiB.
            if (_signed && _previousChunkSize is > 0 and < MinChunkSize)
            {
                throw new S3Exception(S3Errors.InvalidChunkSizeError);
            }

            _previousChunkSize = size;
            _chunkRemaining = size;
            _state = State.ChunkData;
            return;
        }

        // The final, empty chunk: its signature covers the empty string.
        VerifyChunkSignature();
        if (_decoded != _decodedContentLength)
        {
            throw Truncated();
        }

        // Trailer lines (if any) then one empty line end the body; without a trailer mode any line
        // before the empty one is rejected there.
        _state = State.Trailer;
    }

    private async ValueTask ReadTrailerAsync(bool useAsync, CancellationToken cancellationToken)
    {
        string? trailerSignature = null;
        var canonical = new StringBuilder();
        for (var lines = 0; ; lines++)
        {
            if (lines > 64)
            {
                throw new S3Exception(S3Errors.MalformedTrailerError);
            }

            var line = await ReadLineAsync(useAsync, cancellationToken);
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !_hasTrailer)
            {
                throw new S3Exception(S3Errors.MalformedTrailerError);
            }

            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (name == TrailerSignatureName)
            {
                trailerSignature = value;
                continue;
            }

            if (!_declaredTrailers.Contains(name) || !_trailers.TryAdd(name, value))
            {
                throw new S3Exception(S3Errors.MalformedTrailerError, $"The trailer '{name}' was not declared in x-amz-trailer or was sent twice.");
            }

            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        if (_declaredTrailers.Any(t => !_trailers.ContainsKey(t)))
        {
            throw new S3Exception(S3Errors.MalformedTrailerError, "A trailer declared in x-amz-trailer was not sent.");
        }

        if (_signed && _hasTrailer)
        {
            var stringToSign = string.Join(
                '\n',
                "AWS4-HMAC-SHA256-TRAILER",
                _signing!.AmzDate,
                _signing.Scope,
                _previousSignature,
                Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()))));
            var computed = Convert.ToHexStringLower(HMACSHA256.HashData(_signing.SigningKey, Encoding.UTF8.GetBytes(stringToSign)));
            if (trailerSignature is null || !CanonicalRequest.SignaturesEqual(computed, trailerSignature))
            {
                throw S3Exception.With(S3Errors.SignatureDoesNotMatch, null, ("StringToSign", stringToSign), ("SignatureProvided", trailerSignature ?? string.Empty));
            }
        }
    }

    private void VerifyChunkSignature()
    {
        if (!_signed || _expectedChunkSignature is null)
        {
            return;
        }

        var stringToSign = string.Join(
            '\n',
            "AWS4-HMAC-SHA256-PAYLOAD",
            _signing!.AmzDate,
            _signing.Scope,
            _previousSignature,
            SigV4Constants.EmptySha256,
            Convert.ToHexStringLower(_chunkHash!.GetHashAndReset()));
        var computed = Convert.ToHexStringLower(HMACSHA256.HashData(_signing.SigningKey, Encoding.UTF8.GetBytes(stringToSign)));
        if (!CanonicalRequest.SignaturesEqual(computed, _expectedChunkSignature))
        {
            throw S3Exception.With(S3Errors.SignatureDoesNotMatch, null, ("StringToSign", stringToSign), ("SignatureProvided", _expectedChunkSignature));
        }

        _previousSignature = computed;
        _expectedChunkSignature = null;
    }

    /// <summary>Reads one CRLF-terminated line (without the terminator) from the buffer, refilling as needed.</summary>
    private async ValueTask<string> ReadLineAsync(bool useAsync, CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = scanned + newline;
                var lineEnd = length > 0 && _buffer[_start + length - 1] == '\r' ? length - 1 : length;
                var line = Encoding.ASCII.GetString(_buffer, _start, lineEnd);
                _start += length + 1;
                return line;
            }

            scanned = _end - _start;
            if (scanned > MaxLineLength)
            {
                throw Malformed("a chunk header or trailer line is too long");
            }

            if (!await FillAsync(useAsync, cancellationToken))
            {
                throw Truncated();
            }
        }
    }

    /// <summary>Reads more of the inner stream into the buffer; false at its end.</summary>
    private async ValueTask<bool> FillAsync(bool useAsync, CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        var free = _buffer.AsMemory(_end);
        var read = useAsync ? await _inner.ReadAsync(free, cancellationToken) : _inner.Read(free.Span);
        _end += read;
        return read > 0;
    }

    private S3Exception Truncated() =>
        new(S3Errors.IncompleteBody, $"The aws-chunked body ended after {_decoded} of {_decodedContentLength} bytes (x-amz-decoded-content-length).");

    private static S3Exception Malformed(string detail) =>
        new(S3Errors.InvalidRequest, "Malformed aws-chunked encoding: " + detail + ".");
}
