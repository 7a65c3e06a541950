using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace Tally.Security.Payloads;

/// <summary>One running hash over the body; appending allocates nothing.</summary>
internal sealed class ChecksumAccumulator : IDisposable
{
    private readonly IncrementalHash? _cryptographic;
    private readonly Crc32? _crc32;
    private readonly Crc64? _crc64;

    private ChecksumAccumulator(string algorithm, IncrementalHash? cryptographic, Crc32? crc32, Crc64? crc64)
    {
        Algorithm = algorithm;
        _cryptographic = cryptographic;
        _crc32 = crc32;
        _crc64 = crc64;
    }

    public string Algorithm { get; }

    public static ChecksumAccumulator Md5() =>
#pragma warning disable CA5351 // MD5 is what S3 defines for Content-MD5 and ETags: an integrity check, not security.
        new("MD5", IncrementalHash.CreateHash(HashAlgorithmName.MD5), null, null);
#pragma warning restore CA5351

    public static ChecksumAccumulator Create(string algorithm) => algorithm switch
    {
        ChecksumAlgorithms.Crc32 => new(algorithm, null, new Crc32(Crc32ParameterSet.Crc32), null),
        ChecksumAlgorithms.Crc32C => new(algorithm, null, new Crc32(Crc32ParameterSet.Crc32C), null),
        ChecksumAlgorithms.Crc64Nvme => new(algorithm, null, null, new Crc64(Crc64ParameterSet.Nvme)),
#pragma warning disable CA5350 // SHA-1 is one of S3's checksum algorithms: integrity, not security.
        ChecksumAlgorithms.Sha1 => new(algorithm, IncrementalHash.CreateHash(HashAlgorithmName.SHA1), null, null),
#pragma warning restore CA5350
        ChecksumAlgorithms.Sha256 => new(algorithm, IncrementalHash.CreateHash(HashAlgorithmName.SHA256), null, null),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown checksum algorithm."),
    };

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_cryptographic is not null)
        {
            _cryptographic.AppendData(data);
        }
        else if (_crc32 is not null)
        {
            _crc32.Append(data);
        }
        else
        {
            _crc64!.Append(data);
        }
    }

    /// <summary>The digest as AWS sends it: big-endian bytes (CRCs included).</summary>
    public byte[] Finish()
    {
        if (_cryptographic is not null)
        {
            return _cryptographic.GetHashAndReset();
        }

        if (_crc32 is not null)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, _crc32.GetCurrentHashAsUInt32());
            return bytes;
        }

        var wide = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(wide, _crc64!.GetCurrentHashAsUInt64());
        return wide;
    }

    public void Dispose() => _cryptographic?.Dispose();
}
