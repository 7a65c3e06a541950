using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Tally.AccessLogs.Records;

/// <summary>
/// Writes a record as the exact AWS log line (spec §1), without the trailing <c>\n</c>. Pure and
/// thread-safe. <c>fieldCount</c> selects an older layout: 26 omits Source region; 18 ends at
/// Version Id (spec §1.1).
/// </summary>
public static class AccessLogFormatter
{
    // C0 controls and DEL would split or corrupt a line; AWS's behaviour for them is unknown.
    private static SearchValues<char> ControlChars { get; } = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000B\f\r\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    private static ReadOnlySpan<byte> Months => "JanFebMarAprMayJunJulAugSepOctNovDec"u8;

    public static string Format(AccessLogRecord record, int fieldCount = AccessLogFields.Current)
    {
        ArgumentNullException.ThrowIfNull(record);
        CheckFieldCount(fieldCount);

        // A pooled buffer rather than stackalloc: no zeroing, and no size limit for long keys.
        var buffer = ArrayPool<byte>.Shared.Rent(GetMaxByteCount(record));
        try
        {
            var written = Write(record, buffer, fieldCount);
            return Encoding.UTF8.GetString(buffer, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Appends the UTF-8 line (no newline) to <paramref name="utf8"/>.</summary>
    public static void Format(AccessLogRecord record, IBufferWriter<byte> utf8, int fieldCount = AccessLogFields.Current)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(utf8);
        CheckFieldCount(fieldCount);
        var span = utf8.GetSpan(GetMaxByteCount(record));
        utf8.Advance(Write(record, span, fieldCount));
    }

    /// <summary>Writes the UTF-8 line (no newline); false when <paramref name="utf8"/> may be too small
    /// (it needs <see cref="GetMaxByteCount"/> bytes).</summary>
    public static bool TryFormat(AccessLogRecord record, Span<byte> utf8, out int bytesWritten, int fieldCount = AccessLogFields.Current)
    {
        ArgumentNullException.ThrowIfNull(record);
        CheckFieldCount(fieldCount);
        if (utf8.Length < GetMaxByteCount(record))
        {
            bytesWritten = 0;
            return false;
        }

        bytesWritten = Write(record, utf8, fieldCount);
        return true;
    }

    /// <summary>An upper bound of the UTF-8 length of the record's line.</summary>
    public static int GetMaxByteCount(AccessLogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);

        // 3 bytes per UTF-16 char covers UTF-8 and a control char written as %XX.
        var chars = Len(record.BucketOwner) + Len(record.Bucket) + Len(record.RemoteIp) + Len(record.Requester)
            + Len(record.RequestId) + Len(record.Operation) + Len(record.RequestUri) + Len(record.ErrorCode)
            + Len(record.Referer) + Len(record.UserAgent) + Len(record.VersionId) + Len(record.HostId)
            + Len(record.SignatureVersion) + Len(record.CipherSuite) + Len(record.AuthenticationType)
            + Len(record.HostHeader) + Len(record.TlsVersion) + Len(record.AccessPointArn) + Len(record.SourceRegion);

        // Fixed part: time 28, five numbers of at most 20, separators, quotes and dashes.
        return (chars * 3) + AccessLogKey.MaxEncodedByteCount(Len(record.Key)) + 256;
    }

    private static int Len(string? s) => s?.Length ?? 0;

    private static void CheckFieldCount(int fieldCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fieldCount, AccessLogFields.Minimum);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fieldCount, AccessLogFields.Current);
    }

    // `d` is at least GetMaxByteCount(r) bytes long.
    private static int Write(AccessLogRecord r, Span<byte> d, int fieldCount)
    {
        var p = 0;
        p = Token(r.BucketOwner, d, p);
        d[p++] = (byte)' ';
        p = Token(r.Bucket, d, p);
        d[p++] = (byte)' ';
        p = Time(r.Time, d, p);
        d[p++] = (byte)' ';
        p = Token(r.RemoteIp, d, p);
        d[p++] = (byte)' ';
        p = Token(r.Requester, d, p);
        d[p++] = (byte)' ';
        p = Token(r.RequestId, d, p);
        d[p++] = (byte)' ';
        p = Token(r.Operation, d, p);
        d[p++] = (byte)' ';
        if (string.IsNullOrEmpty(r.Key))
        {
            d[p++] = (byte)'-';
        }
        else
        {
            p += AccessLogKey.WriteEncoded(r.Key, !AccessLogKey.IsEncodedOnce(r.Operation), d[p..]);
        }

        d[p++] = (byte)' ';
        p = Quoted(r.RequestUri, d, p);
        d[p++] = (byte)' ';
        p = Number(r.HttpStatus, d, p);
        d[p++] = (byte)' ';
        p = Token(r.ErrorCode, d, p);
        d[p++] = (byte)' ';

        // spec §1.6: Bytes Sent is "-" when zero, even for a successful PUT.
        p = Number(r.BytesSent == 0 ? null : r.BytesSent, d, p);
        d[p++] = (byte)' ';
        p = Number(r.ObjectSize, d, p);
        d[p++] = (byte)' ';
        p = Number(r.TotalTime, d, p);
        d[p++] = (byte)' ';
        p = Number(r.TurnAroundTime, d, p);
        d[p++] = (byte)' ';
        p = Quoted(r.Referer, d, p);
        d[p++] = (byte)' ';
        p = Quoted(r.UserAgent, d, p);
        d[p++] = (byte)' ';
        p = Token(r.VersionId, d, p);

        for (var field = AccessLogField.HostId; (int)field <= fieldCount; field++)
        {
            d[p++] = (byte)' ';
            p = field switch
            {
                AccessLogField.HostId => Token(r.HostId, d, p),
                AccessLogField.SignatureVersion => Token(r.SignatureVersion, d, p),
                AccessLogField.CipherSuite => Token(r.CipherSuite, d, p),
                AccessLogField.AuthenticationType => Token(r.AuthenticationType, d, p),
                AccessLogField.HostHeader => Token(r.HostHeader, d, p),
                AccessLogField.TlsVersion => Token(r.TlsVersion, d, p),
                AccessLogField.AccessPointArn => Token(r.AccessPointArn, d, p),
                AccessLogField.AclRequired => Token(r.AclRequired ? "Yes" : null, d, p),
                _ => Token(r.SourceRegion, d, p),
            };
        }

        return p;
    }

    private static int Token(string? value, Span<byte> d, int p)
    {
        if (string.IsNullOrEmpty(value))
        {
            d[p] = (byte)'-';
            return p + 1;
        }

        return Raw(value, d, p);
    }

    private static int Quoted(string? value, Span<byte> d, int p)
    {
        if (value is null)
        {
            d[p] = (byte)'-';
            return p + 1;
        }

        d[p++] = (byte)'"';
        p = Raw(value, d, p);
        d[p++] = (byte)'"';
        return p;
    }

    private static int Raw(string value, Span<byte> d, int p)
    {
        var s = value.AsSpan();
        var control = s.IndexOfAny(ControlChars);
        while (control >= 0)
        {
            p = Utf16(s[..control], d, p);
            d[p++] = (byte)'%';
            d[p++] = HexDigit(s[control] >> 4);
            d[p++] = HexDigit(s[control] & 0xF);
            s = s[(control + 1)..];
            control = s.IndexOfAny(ControlChars);
        }

        return Utf16(s, d, p);
    }

    private static int Utf16(ReadOnlySpan<char> s, Span<byte> d, int p)
    {
        Utf8.FromUtf16(s, d[p..], out _, out var written, replaceInvalidSequences: true);
        return p + written;
    }

    private static int Number(long? value, Span<byte> d, int p)
    {
        if (value is not { } v)
        {
            d[p] = (byte)'-';
            return p + 1;
        }

        v.TryFormat(d[p..], out var written, default, CultureInfo.InvariantCulture);
        return p + written;
    }

    // spec §1.2 field 3: [dd/MMM/yyyy:HH:mm:ss +0000], English months, always UTC.
    private static int Time(DateTimeOffset time, Span<byte> d, int p)
    {
        // One calendar computation instead of one per DateTime property.
        time.UtcDateTime.Deconstruct(out DateOnly date, out TimeOnly timeOfDay);
        date.Deconstruct(out var year, out var month, out var day);
        timeOfDay.Deconstruct(out var hour, out var minute, out var second);
        d[p++] = (byte)'[';
        p = TwoDigits(day, d, p);
        d[p++] = (byte)'/';
        Months.Slice((month - 1) * 3, 3).CopyTo(d[p..]);
        p += 3;
        d[p++] = (byte)'/';
        p = TwoDigits(year / 100, d, p);
        p = TwoDigits(year % 100, d, p);
        d[p++] = (byte)':';
        p = TwoDigits(hour, d, p);
        d[p++] = (byte)':';
        p = TwoDigits(minute, d, p);
        d[p++] = (byte)':';
        p = TwoDigits(second, d, p);
        " +0000]"u8.CopyTo(d[p..]);
        return p + 7;
    }

    private static int TwoDigits(int value, Span<byte> d, int p)
    {
        d[p] = (byte)('0' + (value / 10));
        d[p + 1] = (byte)('0' + (value % 10));
        return p + 2;
    }

    private static byte HexDigit(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
}
