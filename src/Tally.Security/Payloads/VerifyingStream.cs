using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Tally.Core.Errors;
using Tally.Security.SigV4;

namespace Tally.Security.Payloads;

/// <summary>
/// Passes a request body through while computing its MD5 and the requested S3 checksums; when the
/// body ends it checks them and throws (from the Read that would have returned 0):
/// IncompleteBody (fewer bytes than declared), XAmzContentSHA256Mismatch (hex x-amz-content-sha256),
/// BadDigest (Content-MD5, or an x-amz-checksum-* header or trailer). Once <see cref="IsComplete"/>,
/// <see cref="Checksums"/> holds the computed values (algorithm → base64) to store with the object.
/// Not thread-safe.
/// </summary>
public sealed class VerifyingStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly long? _expectedLength;
    private readonly byte[]? _expectedMd5;
    private readonly byte[]? _expectedSha256;
    private readonly Dictionary<string, byte[]> _expectedChecksums;
    private readonly Func<IReadOnlyDictionary<string, string>>? _trailers;
    private readonly ChecksumAccumulator _md5 = ChecksumAccumulator.Md5();
    private readonly ChecksumAccumulator[] _accumulators;
    private Dictionary<string, string>? _checksums;
    private byte[]? _md5Digest;
    private long _bytesRead;
    private bool _disposed;

    /// <param name="inner">The body (already decoded if it was aws-chunked).</param>
    /// <param name="expectations">What the request declared; see <see cref="PayloadExpectations.FromHeaders"/>.</param>
    /// <param name="leaveOpen">Whether disposing leaves <paramref name="inner"/> open.</param>
    public VerifyingStream(Stream inner, PayloadExpectations expectations, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(expectations);
        _inner = inner;
        _leaveOpen = leaveOpen;
        _expectedLength = expectations.Length;
        _trailers = expectations.Trailers;
        _expectedMd5 = expectations.ContentMd5 is null ? null : ParseContentMd5(expectations.ContentMd5);
        _expectedSha256 = expectations.ContentSha256 is { Length: 64 } hex && hex.All(char.IsAsciiHexDigit)
            ? Convert.FromHexString(hex)
            : null;
        _expectedChecksums = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, value) in expectations.Checksums)
        {
            var algorithm = ChecksumAlgorithms.Normalize(name) ?? throw new ArgumentException($"Unknown checksum algorithm '{name}'.", nameof(expectations));
            _expectedChecksums[algorithm] = ParseChecksum(algorithm, value, "header");
        }

        var algorithms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in expectations.Algorithms.Concat(_expectedChecksums.Keys))
        {
            algorithms.Add(ChecksumAlgorithms.Normalize(name) ?? throw new ArgumentException($"Unknown checksum algorithm '{name}'.", nameof(expectations)));
        }

        if (_expectedSha256 is not null)
        {
            algorithms.Add(ChecksumAlgorithms.Sha256);
        }

        _accumulators = [.. algorithms.Order(StringComparer.Ordinal).Select(ChecksumAccumulator.Create)];
        RequestedAlgorithms = [.. expectations.Algorithms.Concat(_expectedChecksums.Keys).Select(a => ChecksumAlgorithms.Normalize(a)!).Distinct()];
    }

    /// <summary>
    /// Wraps a request body as its headers describe it: aws-chunked bodies (x-amz-content-sha256
    /// STREAMING-*) are decoded with <see cref="AwsChunkedReadStream"/> first, whose trailers are then
    /// checked here too. <paramref name="authentication"/> supplies the chunk signing key for signed
    /// streaming bodies. Throws InvalidDigest/InvalidRequest/MissingContentLength for bad headers.
    /// </summary>
    public static VerifyingStream FromHeaders(Stream body, Func<string, string?> header, AuthenticationResult? authentication = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(header);
        var payloadHash = header("x-amz-content-sha256")?.Trim();
        AwsChunkedReadStream? chunked = null;
        if (SigV4Constants.IsStreaming(payloadHash))
        {
            var decoded = header("x-amz-decoded-content-length");
            if (!long.TryParse(decoded, NumberStyles.None, CultureInfo.InvariantCulture, out var decodedLength))
            {
                throw new S3Exception(S3Errors.MissingContentLength, "You must provide the x-amz-decoded-content-length header with an aws-chunked body.");
            }

            chunked = new AwsChunkedReadStream(body, payloadHash!, decodedLength, authentication?.Chunked, header("x-amz-trailer"));
        }

        var expectations = PayloadExpectations.FromHeaders(header, chunked);
        return new VerifyingStream(chunked ?? body, expectations);
    }

    /// <summary>The algorithms whose values go into <see cref="Checksums"/>.</summary>
    public IReadOnlyList<string> RequestedAlgorithms { get; }

    /// <summary>True once the body ended and every check passed.</summary>
    public bool IsComplete => _checksums is not null;

    public long BytesRead => _bytesRead;

    /// <summary>Computed values of <see cref="RequestedAlgorithms"/>, algorithm → base64. Only after the end.</summary>
    public IReadOnlyDictionary<string, string> Checksums =>
        _checksums ?? throw new InvalidOperationException("Checksums are known only once the body has been read to its end.");

    /// <summary>MD5 of the body (the ETag of a single-part object, hex). Only after the end.</summary>
    public string Md5Hex => Convert.ToHexStringLower(_md5Digest ?? throw new InvalidOperationException("The MD5 is known only once the body has been read to its end."));

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _expectedLength ?? throw new NotSupportedException();

    public override long Position
    {
        get => _bytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        return Account(buffer[..read], buffer.IsEmpty);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Pooled builder: a read that has to wait does not allocate a new state machine box each time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        return Account(buffer.Span[..read], buffer.IsEmpty);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _md5.Dispose();
            foreach (var accumulator in _accumulators)
            {
                accumulator.Dispose();
            }

            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private int Account(ReadOnlySpan<byte> data, bool emptyRequest)
    {
        if (data.Length > 0)
        {
            _bytesRead += data.Length;
            _md5.Append(data);
            foreach (var accumulator in _accumulators)
            {
                accumulator.Append(data);
            }
        }
        else if (!emptyRequest && _checksums is null)
        {
            Finish();
        }

        return data.Length;
    }

    private void Finish()
    {
        if (_expectedLength is { } declared && _bytesRead < declared)
        {
            throw new S3Exception(S3Errors.IncompleteBody, $"The body ended after {_bytesRead} of the {declared} bytes declared.");
        }

        _md5Digest = _md5.Finish();
        var computed = _accumulators.ToDictionary(a => a.Algorithm, a => a.Finish(), StringComparer.Ordinal);

        if (_expectedSha256 is not null && !CryptographicOperations.FixedTimeEquals(_expectedSha256, computed[ChecksumAlgorithms.Sha256]))
        {
            throw S3Exception.With(
                S3Errors.XAmzContentSHA256Mismatch,
                null,
                ("ClientComputedContentSHA256", Convert.ToHexStringLower(_expectedSha256)),
                ("S3ComputedContentSHA256", Convert.ToHexStringLower(computed[ChecksumAlgorithms.Sha256])));
        }

        if (_expectedMd5 is not null && !CryptographicOperations.FixedTimeEquals(_expectedMd5, _md5Digest))
        {
            throw S3Exception.With(
                S3Errors.BadDigest,
                "The Content-MD5 you specified did not match what we received.",
                ("ExpectedDigest", Convert.ToBase64String(_expectedMd5)),
                ("CalculatedDigest", Convert.ToBase64String(_md5Digest)));
        }

        foreach (var (algorithm, expected) in _expectedChecksums)
        {
            CheckChecksum(algorithm, expected, computed[algorithm]);
        }

        if (_trailers?.Invoke() is { } trailers)
        {
            foreach (var (name, value) in trailers)
            {
                if (!name.StartsWith("x-amz-checksum-", StringComparison.Ordinal))
                {
                    continue;
                }

                var algorithm = ChecksumAlgorithms.Normalize(name["x-amz-checksum-".Length..])
                    ?? throw new S3Exception(S3Errors.InvalidRequest, $"The trailer {name} names an unsupported checksum algorithm.");
                if (!computed.TryGetValue(algorithm, out var actual))
                {
                    throw new S3Exception(S3Errors.MalformedTrailerError, $"The trailer {name} was not declared in x-amz-trailer.");
                }

                CheckChecksum(algorithm, ParseChecksum(algorithm, value, "trailer"), actual);
            }
        }

        _checksums = RequestedAlgorithms.ToDictionary(a => a, a => Convert.ToBase64String(computed[a]), StringComparer.Ordinal);
    }

    private static void CheckChecksum(string algorithm, byte[] expected, byte[] actual)
    {
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            throw new S3Exception(S3Errors.BadDigest, $"The {algorithm} you specified did not match the calculated checksum.");
        }
    }

    private static byte[] ParseContentMd5(string value)
    {
        var bytes = new byte[16];
        if (!Convert.TryFromBase64String(value.Trim(), bytes, out var written) || written != 16)
        {
            throw new S3Exception(S3Errors.InvalidDigest);
        }

        return bytes;
    }

    private static byte[] ParseChecksum(string algorithm, string value, string where)
    {
        var length = ChecksumAlgorithms.DigestLength(algorithm);
        var bytes = new byte[length + 3];
        if (!Convert.TryFromBase64String(value.Trim(), bytes, out var written) || written != length)
        {
            throw new S3Exception(S3Errors.InvalidRequest, $"Value for {ChecksumAlgorithms.HeaderName(algorithm)} {where} is invalid.");
        }

        return bytes[..length];
    }
}
