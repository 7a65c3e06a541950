using System.Text;

namespace Tally.Analytics.Ingest;

/// <summary>
/// Splits a log object into lines on <c>\n</c> (a trailing <c>\r</c> is dropped), decoding UTF-8
/// with replacement characters so binary garbage reaches the parser as text and is rejected there.
/// Memory is bounded by the buffer: a line longer than <c>maxLineBytes</c> is returned as a prefix
/// sample flagged too long, and the rest of it is skipped without being held.
/// </summary>
internal sealed class LogLineReader
{
    internal const int SampleBytes = 1024;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private int _asciiStart;
    private int _asciiLength;

    public LogLineReader(Stream stream, int maxLineBytes)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = new byte[Math.Max(64 * 1024, maxLineBytes + 1)];
    }

    /// <summary>Bytes of content consumed so far (for progress).</summary>
    public long BytesRead { get; private set; }

    /// <summary>
    /// The UTF-8 bytes of the line just read when they are all ASCII (so each char of the line is
    /// the byte at the same index), else empty. Valid until the next read.
    /// </summary>
    public ReadOnlySpan<byte> AsciiLine => _buffer.AsSpan(_asciiStart, _asciiLength);

    /// <summary>Reads the next line; false at the end of the object.</summary>
    public async ValueTask<(bool Found, string Line, bool TooLong)> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            _asciiLength = 0;
            if (newline >= 0)
            {
                var line = Decode(_start, newline);
                _start += newline + 1;
                return (true, line, false);
            }

            if (_end - _start > _maxLineBytes)
            {
                var sample = Decode(_start, Math.Min(SampleBytes, _end - _start));
                _asciiLength = 0;
                await SkipRestOfLineAsync(cancellationToken).ConfigureAwait(false);
                return (true, sample, true);
            }

            if (_eof)
            {
                if (_end == _start)
                {
                    return (false, string.Empty, false);
                }

                var last = Decode(_start, _end - _start);
                _start = _end;
                return (true, last, false);
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask SkipRestOfLineAsync(CancellationToken cancellationToken)
    {
        _start = _end = 0;
        while (!_eof || _end > _start)
        {
            if (_end == _start)
            {
                if (_eof)
                {
                    return;
                }

                _start = _end = 0;
                await FillAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start += newline + 1;
                return;
            }

            _start = _end;
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
        BytesRead += read;
    }

    private string Decode(int start, int length)
    {
        var bytes = _buffer.AsSpan(start, length);
        if (!bytes.IsEmpty && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        if (Ascii.IsValid(bytes))
        {
            _asciiStart = start;
            _asciiLength = bytes.Length;
        }

        return Utf8.GetString(bytes);
    }
}
