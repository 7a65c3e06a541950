using System.Text;

namespace Tally.AccessLogs.Records;

/// <summary>
/// The Key field's encoding (spec §1.4, §9.4). AWS writes the key URL-encoded twice for REST and
/// WEBSITE records (key <c>a=b</c> is logged <c>a%253Db</c>) but once for records S3 writes itself
/// (<c>BATCH.DELETE.OBJECT</c>, <c>S3.*</c>). One encoding, <c>Enc</c>, percent-encodes every UTF-8
/// byte except <c>A-Z a-z 0-9 - _ . * /</c> with upper-case hex, so a space becomes <c>%20</c>.
/// </summary>
/// <remarks>
/// The rule is the spec's recommendation and matches every conformance line: NCBI's key
/// <c>SRR9154112/*.fastq*</c> was sent as <c>%2A</c> and logged as <c>*</c>, which shows AWS
/// decodes the wire form and re-encodes it (re-encoding the wire text would give <c>%252A</c>).
/// Spaces and <c>~</c> are unverified (spec §10): we write <c>%2520</c> and <c>%257E</c>.
/// </remarks>
public static class AccessLogKey
{
    /// <summary>True for the operations whose key AWS encodes once: <c>BATCH.*</c> and <c>S3.*</c>.</summary>
    public static bool IsEncodedOnce(string? operation) =>
        operation is not null
        && (operation.StartsWith("BATCH.", StringComparison.Ordinal) || operation.StartsWith("S3.", StringComparison.Ordinal));

    public static string Encode(string key, string? operation)
    {
        ArgumentNullException.ThrowIfNull(key);
        var twice = !IsEncodedOnce(operation);
        var buffer = new byte[MaxEncodedByteCount(key.Length)];
        var written = WriteEncoded(key, twice, buffer);
        return Encoding.UTF8.GetString(buffer, 0, written);
    }

    /// <summary>
    /// The real key of a logged Key field: percent-decoded twice for REST/WEBSITE operations and once
    /// for <c>BATCH.*</c>/<c>S3.*</c>. Sequences that do not decode to UTF-8 are left as they are.
    /// </summary>
    public static string Decode(string logged, string? operation)
    {
        ArgumentNullException.ThrowIfNull(logged);
        var once = Uri.UnescapeDataString(logged);
        return IsEncodedOnce(operation) ? once : Uri.UnescapeDataString(once);
    }

    // A UTF-16 char is at most 3 UTF-8 bytes, each at most 5 bytes once encoded twice (%25XX).
    internal static int MaxEncodedByteCount(int keyLength) => keyLength * 15;

    internal static bool IsUnreserved(int b) =>
        (uint)((b | 0x20) - 'a') <= 'z' - 'a'
        || (uint)(b - '0') <= 9
        || b is '-' or '_' or '.' or '*' or '/';

    /// <summary>Writes Enc(key), or Enc(Enc(key)) when <paramref name="twice"/>; returns the byte count.</summary>
    /// <remarks>Enc(Enc(x)) needs no second pass: Enc's output is unreserved bytes and <c>%XX</c>, and
    /// encoding that again only turns each <c>%</c> into <c>%25</c>.</remarks>
    internal static int WriteEncoded(ReadOnlySpan<char> key, bool twice, Span<byte> destination)
    {
        var pos = 0;
        Span<byte> utf8 = stackalloc byte[4];
        var i = 0;
        while (i < key.Length)
        {
            var c = key[i];
            if (c < 0x80)
            {
                pos = WriteByte(c, twice, destination, pos);
                i++;
                continue;
            }

            // Lone surrogates become U+FFFD, as the UTF-8 encoder does everywhere else.
            Rune.DecodeFromUtf16(key[i..], out var rune, out var consumed);
            var n = rune.EncodeToUtf8(utf8);
            for (var k = 0; k < n; k++)
            {
                pos = WriteByte(utf8[k], twice, destination, pos);
            }

            i += consumed;
        }

        return pos;
    }

    private static int WriteByte(int b, bool twice, Span<byte> destination, int pos)
    {
        if (IsUnreserved(b))
        {
            destination[pos] = (byte)b;
            return pos + 1;
        }

        destination[pos++] = (byte)'%';
        if (twice)
        {
            destination[pos++] = (byte)'2';
            destination[pos++] = (byte)'5';
        }

        destination[pos++] = HexDigit(b >> 4);
        destination[pos++] = HexDigit(b & 0xF);
        return pos;
    }

    private static byte HexDigit(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
}
