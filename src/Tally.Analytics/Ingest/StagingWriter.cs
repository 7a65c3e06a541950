using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace Tally.Analytics.Ingest;

/// <summary>
/// Writes rows as a tab-separated UTF-8 file that DuckDB's <c>read_csv</c> loads in bulk with
/// <see cref="ReadCsvOptions"/>: fields separated by tab, rows ended by <c>\n</c>, NULL as an empty
/// field, and U+0001 as the quote (and its own escape) for the rare values that hold a tab, a line
/// break, U+0001 or nothing at all (an empty string, so it is not read as NULL).
/// </summary>
/// <remarks>
/// Every string is representable: quoting covers every character the format gives a meaning to, and
/// the UTF-8 encoder replaces what is not valid UTF-16 (a lone surrogate) with U+FFFD, as the
/// DuckDB appender did. A position can be marked and the file cut back to it, so a log object that
/// fails half-way leaves no rows behind.
/// </remarks>
internal sealed class StagingWriter : IDisposable
{
    /// <summary>The <c>read_csv</c> options that read this format back (append the column list).</summary>
    public const string ReadCsvOptions =
        "header = false, auto_detect = false, delim = '\t', quote = chr(1), escape = chr(1), new_line = '\\n', "
        + "allow_quoted_nulls = false, nullstr = ''";

    private const byte Quote = 0x01;
    private const int FlushAt = 1024 * 1024;
    private static readonly SearchValues<char> NeedsQuoting = SearchValues.Create("\t\n\r\u0001");
    private static readonly SearchValues<byte> NeedsQuotingUtf8 = SearchValues.Create("\t\n\r\u0001"u8);

    private readonly FileStream _file;
    private byte[] _buffer = new byte[FlushAt + (64 * 1024)];
    private int _used;
    private long _flushed;
    private bool _fieldWritten;

    public StagingWriter(string path)
    {
        Path = path;
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1);
    }

    public string Path { get; }

    /// <summary>Bytes written so far, flushed or not.</summary>
    public long Length => _flushed + _used;

    public void Null() => Separator();

    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
        }
        else
        {
            Text(value.AsSpan());
        }
    }

    public void Text(ReadOnlySpan<char> value)
    {
        Separator();
        var quote = value.IsEmpty || value.ContainsAny(NeedsQuoting);
        if (!quote)
        {
            Utf8(value);
            return;
        }

        Byte(Quote);
        while (!value.IsEmpty)
        {
            var q = value.IndexOf('\u0001');
            var part = q < 0 ? value : value[..(q + 1)];
            Utf8(part);
            if (q >= 0)
            {
                Byte(Quote);
            }

            value = value[part.Length..];
        }

        Byte(Quote);
    }

    /// <summary>A value already in UTF-8 (copied as it is, so it must be valid UTF-8).</summary>
    public void Utf8Text(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.ContainsAny(NeedsQuotingUtf8))
        {
            // Rare: take the general path, which quotes.
            Span<char> chars = value.Length <= 512 ? stackalloc char[value.Length] : new char[value.Length];
            var n = System.Text.Encoding.UTF8.GetChars(value, chars);
            Text(chars[..n]);
            return;
        }

        Separator();
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_used));
        _used += value.Length;
    }

    public void Number(long? value)
    {
        Separator();
        if (value is { } v)
        {
            Ensure(24);
            Utf8Formatter.TryFormat(v, _buffer.AsSpan(_used), out var written);
            _used += written;
        }
    }

    /// <summary>yyyy-MM-dd HH:mm:ss (DuckDB's TIMESTAMP text).</summary>
    public void Timestamp(DateTime value)
    {
        Separator();
        Ensure(19);
        var span = _buffer.AsSpan(_used, 19);
        WriteDate(span, value);
        span[10] = (byte)' ';
        Digits(span.Slice(11, 2), value.Hour);
        span[13] = (byte)':';
        Digits(span.Slice(14, 2), value.Minute);
        span[16] = (byte)':';
        Digits(span.Slice(17, 2), value.Second);
        _used += 19;
    }

    public void EndRow()
    {
        Byte((byte)'\n');
        _fieldWritten = false;
        if (_used >= FlushAt)
        {
            Flush();
        }
    }

    /// <summary>Cuts the file back to <paramref name="length"/>, a <see cref="Length"/> taken at a row boundary.</summary>
    public void Truncate(long length)
    {
        if (length >= _flushed)
        {
            _used = (int)(length - _flushed);
        }
        else
        {
            _used = 0;
            _file.SetLength(length);
            _file.Position = length;
            _flushed = length;
        }

        _fieldWritten = false;
    }

    public void Flush()
    {
        _file.Write(_buffer, 0, _used);
        _flushed += _used;
        _used = 0;
    }

    public void Dispose() => _file.Dispose();

    private static void WriteDate(Span<byte> span, DateTime value)
    {
        Digits(span[..4], value.Year);
        span[4] = (byte)'-';
        Digits(span.Slice(5, 2), value.Month);
        span[7] = (byte)'-';
        Digits(span.Slice(8, 2), value.Day);
    }

    private static void Digits(Span<byte> span, int value)
    {
        for (var i = span.Length - 1; i >= 0; i--)
        {
            span[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private void Separator()
    {
        if (_fieldWritten)
        {
            Byte((byte)'\t');
        }

        _fieldWritten = true;
    }

    private void Byte(byte value)
    {
        Ensure(1);
        _buffer[_used++] = value;
    }

    private void Utf8(ReadOnlySpan<char> value)
    {
        // Three bytes per UTF-16 unit is the most UTF-8 needs (a surrogate pair is 2 units, 4 bytes).
        Ensure(value.Length * 3);
        var status = System.Text.Unicode.Utf8.FromUtf16(value, _buffer.AsSpan(_used), out _, out var written, replaceInvalidSequences: true);
        if (status != OperationStatus.Done)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"UTF-8 encoding stopped with {status}"));
        }

        _used += written;
    }

    private void Ensure(int bytes)
    {
        if (_used + bytes <= _buffer.Length)
        {
            return;
        }

        Flush();
        if (bytes > _buffer.Length)
        {
            _buffer = new byte[bytes];
        }
    }
}
