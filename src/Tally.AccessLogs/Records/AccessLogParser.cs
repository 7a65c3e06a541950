using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Tally.AccessLogs.Records;

/// <summary>
/// Parses AWS server access log lines of every vintage: 18 to 27 fields and any unknown trailing
/// fields (ignored, spec §1.1), bare <c>-</c> and quoted <c>"-"</c>, raw <c>"</c> inside the quoted
/// fields (spec §1.3), IPv6 addresses, any time zone, a trailing space or CR. Pure and thread-safe.
/// </summary>
/// <remarks>
/// <para>The first eight fields are parsed strictly, the quoted ones leniently, as spec §1.3
/// recommends, because AWS does not escape quotes: Request-URI ends at the first <c>"</c> followed by
/// a space and an HTTP-status-like token (<c>-</c> or digits); Referer ends at the first <c>"</c>
/// followed by a space and the start of the User-Agent field (<c>"</c> or a bare <c>-</c>);
/// User-Agent ends at the last <c>"</c> of the line that is followed by a space or the end, as no
/// later field is quoted.</para>
/// <para>Some 2019 lines carry an extra IAM unique-id token between Version Id and Host Id (NCBI
/// conformance line 9). When the token in the Signature Version slot is not a signature version but
/// the next one is, the two tokens are read as one Host Id, as NCBI's reference parser does, so the
/// line still parses and reformats byte for byte.</para>
/// <para>The record's Key is the real key (decoded per operation, <see cref="AccessLogKey"/>);
/// <see cref="ParsedAccessLogLine"/> keeps the logged text of every field.</para>
/// </remarks>
public static class AccessLogParser
{
    public static bool TryParse(string line, [NotNullWhen(true)] out AccessLogRecord? record, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        return TryParse(line.AsSpan(), out record, out error);
    }

    public static bool TryParse(ReadOnlySpan<char> line, [NotNullWhen(true)] out AccessLogRecord? record, [NotNullWhen(false)] out string? error)
    {
        line = TrimEnd(line);
        Span<FieldSpan> fields = stackalloc FieldSpan[AccessLogFields.Current];
        record = null;
        return TrySplit(line, fields, out _, out error) && TryBuild(line, fields, out record, out error);
    }

    /// <summary>Parses a line and keeps the logged text of each field (see <see cref="ParsedAccessLogLine"/>).</summary>
    public static bool TryParseLine(string line, [NotNullWhen(true)] out ParsedAccessLogLine? parsed, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmed = TrimEnd(line.AsSpan());
        var fields = new FieldSpan[AccessLogFields.Current];
        parsed = null;
        if (!TrySplit(trimmed, fields, out var count, out error) || !TryBuild(trimmed, fields, out var record, out error))
        {
            return false;
        }

        parsed = new ParsedAccessLogLine(line, fields, count, record);
        return true;
    }

    /// <summary>Parses a line, throwing <see cref="FormatException"/> with the reason when it cannot.</summary>
    public static AccessLogRecord Parse(string line) =>
        TryParse(line, out var record, out var error) ? record : throw new FormatException(error);

    private static ReadOnlySpan<char> TrimEnd(ReadOnlySpan<char> line) => line.TrimEnd(" \r\n");

    private static bool TrySplit(ReadOnlySpan<char> line, Span<FieldSpan> fields, out int count, [NotNullWhen(false)] out string? error)
    {
        fields.Fill(FieldSpan.Absent);
        count = 0;
        error = null;
        if (line.IsEmpty)
        {
            error = "empty line";
            return false;
        }

        var pos = 0;
        for (var i = 0; i < AccessLogFields.Current; i++)
        {
            if (pos > line.Length)
            {
                break;
            }

            var field = (AccessLogField)(i + 1);
            var quoted = pos < line.Length && line[pos] == '"';
            FieldSpan span;
            switch (field)
            {
                case AccessLogField.Time:
                    if (!TryTime(line, ref pos, out span))
                    {
                        error = TooFewFields(line) ?? "bad time field: expected [dd/MMM/yyyy:HH:mm:ss +0000]";
                        return false;
                    }

                    break;
                case AccessLogField.RequestUri when quoted:
                    if (!TryQuoted(line, ref pos, QuotedEnd.BeforeStatus, out span))
                    {
                        error = TooFewFields(line) ?? "unterminated Request-URI field: no closing quote before the HTTP status";
                        return false;
                    }

                    break;
                case AccessLogField.Referer when quoted:
                    if (!TryQuoted(line, ref pos, QuotedEnd.BeforeUserAgent, out span))
                    {
                        error = TooFewFields(line) ?? "unterminated Referer field";
                        return false;
                    }

                    break;
                case AccessLogField.UserAgent when quoted:
                    if (!TryQuoted(line, ref pos, QuotedEnd.LastQuote, out span))
                    {
                        error = TooFewFields(line) ?? "unterminated User-Agent field";
                        return false;
                    }

                    break;
                default:
                    span = Token(line, ref pos);
                    break;
            }

            fields[i] = span;
            count++;

            if (field == AccessLogField.HostId)
            {
                MergeExtraHostIdToken(line, ref pos, ref fields[i]);
            }
        }

        if (count < AccessLogFields.Minimum)
        {
            error = FieldCountError(count);
            return false;
        }

        // Unknown trailing fields are counted and ignored (spec §1.1).
        if (pos <= line.Length)
        {
            count += line[pos..].Count(' ') + 1;
        }

        return true;
    }

    private static string FieldCountError(int found) =>
        string.Create(CultureInfo.InvariantCulture, $"expected {AccessLogFields.Minimum} or more fields, found {found}");

    // When the structure breaks early on a line that could never have held a record, the field
    // count is the more useful reason ("just some text" is not a bad time field).
    private static string? TooFewFields(ReadOnlySpan<char> line)
    {
        var tokens = line.Count(' ') + 1;
        return tokens < AccessLogFields.Minimum ? FieldCountError(tokens) : null;
    }

    private static FieldSpan Token(ReadOnlySpan<char> line, ref int pos)
    {
        var space = line[pos..].IndexOf(' ');
        var length = space < 0 ? line.Length - pos : space;
        var span = new FieldSpan(pos, length);
        pos += length + 1;
        return span;
    }

    // The field's text is the date inside the brackets (Athena's requestdatetime, spec §7.1).
    private static bool TryTime(ReadOnlySpan<char> line, ref int pos, out FieldSpan span)
    {
        span = FieldSpan.Absent;
        if (pos >= line.Length || line[pos] != '[')
        {
            return false;
        }

        var close = line[pos..].IndexOf(']');
        if (close < 0 || (pos + close + 1 < line.Length && line[pos + close + 1] != ' '))
        {
            return false;
        }

        span = new FieldSpan(pos + 1, close - 1);
        pos += close + 2;
        return true;
    }

    private enum QuotedEnd
    {
        BeforeStatus,
        BeforeUserAgent,
        LastQuote,
    }

    // `line[pos]` is the opening quote. The field's text keeps its quotes (Athena keeps them too).
    private static bool TryQuoted(ReadOnlySpan<char> line, ref int pos, QuotedEnd rule, out FieldSpan span)
    {
        var close = rule == QuotedEnd.LastQuote ? FindLastQuote(line, pos) : FindClosingQuote(line, pos, rule);
        if (close < 0)
        {
            span = FieldSpan.Absent;
            return false;
        }

        span = new FieldSpan(pos, close - pos + 1);
        pos = close + 2;
        return true;
    }

    private static int FindClosingQuote(ReadOnlySpan<char> line, int open, QuotedEnd rule)
    {
        var fallback = -1;
        var q = open;
        while (true)
        {
            var next = line[(q + 1)..].IndexOf('"');
            if (next < 0)
            {
                break;
            }

            q += next + 1;
            if (q == line.Length - 1)
            {
                return q;
            }

            if (line[q + 1] != ' ')
            {
                continue;
            }

            if (fallback < 0)
            {
                fallback = q;
            }

            var after = line[(q + 2)..];
            if (rule == QuotedEnd.BeforeStatus ? LooksLikeStatus(after) : LooksLikeUserAgentStart(after))
            {
                return q;
            }
        }

        // A Referer with a quote-space inside but nothing after it that looks like a User-Agent:
        // take the first quote-space.
        return rule == QuotedEnd.BeforeUserAgent ? fallback : -1;
    }

    private static int FindLastQuote(ReadOnlySpan<char> line, int open)
    {
        if (line.Length - 1 > open && line[^1] == '"')
        {
            return line.Length - 1;
        }

        var q = line[(open + 1)..].LastIndexOf("\" ");
        return q < 0 ? -1 : open + 1 + q;
    }

    private static bool LooksLikeStatus(ReadOnlySpan<char> s)
    {
        var space = s.IndexOf(' ');
        var token = space < 0 ? s : s[..space];
        return token is "-" || (!token.IsEmpty && !token.ContainsAnyExceptInRange('0', '9'));
    }

    private static bool LooksLikeUserAgentStart(ReadOnlySpan<char> s) =>
        s.StartsWith('"') || s is "-" || s.StartsWith("- ");

    private static void MergeExtraHostIdToken(ReadOnlySpan<char> line, ref int pos, ref FieldSpan hostId)
    {
        var probe = pos;
        if (probe > line.Length)
        {
            return;
        }

        var extra = Token(line, ref probe);
        if (probe > line.Length)
        {
            return;
        }

        var signature = Token(line, ref probe);
        probe = pos;
        if (!IsSignatureVersion(line.Slice(extra.Start, extra.Length)) && IsSignatureVersion(line.Slice(signature.Start, signature.Length)))
        {
            hostId = new FieldSpan(hostId.Start, extra.Start + extra.Length - hostId.Start);
            pos = extra.Start + extra.Length + 1;
        }
    }

    private static bool IsSignatureVersion(ReadOnlySpan<char> token) => token is "-" || token.StartsWith("SigV");

    private static bool TryBuild(ReadOnlySpan<char> line, ReadOnlySpan<FieldSpan> f, [NotNullWhen(true)] out AccessLogRecord? record, [NotNullWhen(false)] out string? error)
    {
        record = null;
        if (!TryParseTime(f[2].Of(line), out var time))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"bad time field: '{f[2].Of(line)}'");
            return false;
        }

        if (!TryNumber(line, f, AccessLogField.HttpStatus, out var status, out error)
            || !TryNumber(line, f, AccessLogField.BytesSent, out var bytesSent, out error)
            || !TryNumber(line, f, AccessLogField.ObjectSize, out var objectSize, out error)
            || !TryNumber(line, f, AccessLogField.TotalTime, out var totalTime, out error)
            || !TryNumber(line, f, AccessLogField.TurnAroundTime, out var turnAround, out error))
        {
            return false;
        }

        if (status > int.MaxValue)
        {
            error = "bad HTTP status field: out of range";
            return false;
        }

        var acl = Get(f, AccessLogField.AclRequired).Of(line);
        if (!(acl.IsEmpty || acl is "-" || acl.Equals("Yes", StringComparison.OrdinalIgnoreCase)))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"bad aclRequired field: expected Yes or -, found '{acl}'");
            return false;
        }

        if (!TryQuotedValue(line, f, AccessLogField.RequestUri, out var requestUri, out error)
            || !TryQuotedValue(line, f, AccessLogField.Referer, out var referer, out error)
            || !TryQuotedValue(line, f, AccessLogField.UserAgent, out var userAgent, out error))
        {
            return false;
        }

        var operation = Text(line, f, AccessLogField.Operation);
        var key = Text(line, f, AccessLogField.Key);
        record = new AccessLogRecord
        {
            BucketOwner = Text(line, f, AccessLogField.BucketOwner),
            Bucket = Text(line, f, AccessLogField.Bucket),
            Time = time,
            RemoteIp = Text(line, f, AccessLogField.RemoteIp),
            Requester = Text(line, f, AccessLogField.Requester),
            RequestId = Text(line, f, AccessLogField.RequestId),
            Operation = operation,
            Key = key is null ? null : AccessLogKey.Decode(key, operation),
            RequestUri = requestUri,
            HttpStatus = (int?)status,
            ErrorCode = Text(line, f, AccessLogField.ErrorCode),
            BytesSent = bytesSent,
            ObjectSize = objectSize,
            TotalTime = totalTime,
            TurnAroundTime = turnAround,
            Referer = referer,
            UserAgent = userAgent,
            VersionId = Text(line, f, AccessLogField.VersionId),
            HostId = Text(line, f, AccessLogField.HostId),
            SignatureVersion = Text(line, f, AccessLogField.SignatureVersion),
            CipherSuite = Text(line, f, AccessLogField.CipherSuite),
            AuthenticationType = Text(line, f, AccessLogField.AuthenticationType),
            HostHeader = Text(line, f, AccessLogField.HostHeader),
            TlsVersion = Text(line, f, AccessLogField.TlsVersion),
            AccessPointArn = Text(line, f, AccessLogField.AccessPointArn),
            AclRequired = !acl.IsEmpty && acl is not "-",
            SourceRegion = Text(line, f, AccessLogField.SourceRegion),
        };
        return true;
    }

    private static FieldSpan Get(ReadOnlySpan<FieldSpan> f, AccessLogField field) => f[(int)field - 1];

    // An unquoted field: absent, empty and "-" are all null.
    private static string? Text(ReadOnlySpan<char> line, ReadOnlySpan<FieldSpan> f, AccessLogField field)
    {
        var span = Get(f, field);
        if (span.Length <= 0)
        {
            return null;
        }

        var text = span.Of(line);
        return text is "-" ? null : HasWellKnownValues(field) ? WellKnownValues.Get(text) : new string(text);
    }

    // Fields drawn from a small vocabulary; looking up the others would cost more than it saves.
    private static bool HasWellKnownValues(AccessLogField field) => field
        is AccessLogField.Operation or AccessLogField.Requester or AccessLogField.ErrorCode or AccessLogField.SignatureVersion
        or AccessLogField.CipherSuite or AccessLogField.AuthenticationType or AccessLogField.TlsVersion;

    // Quoted field: bare "-" (or absent) is null, `"-"` is "-", `"x"` is x (AccessLogRecord remarks).
    private static bool TryQuotedValue(ReadOnlySpan<char> line, ReadOnlySpan<FieldSpan> f, AccessLogField field, out string? value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        value = null;
        var span = Get(f, field);
        if (span.Length <= 0)
        {
            return true;
        }

        var text = span.Of(line);
        if (text is "-")
        {
            return true;
        }

        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            value = new string(text[1..^1]);
            return true;
        }

        // The Athena regex allows only a quoted string or "-" for Request-URI and User-Agent; an
        // unquoted Referer token is what its ([^ ]*) group accepts, so keep it as the value.
        if (field == AccessLogField.Referer)
        {
            value = new string(text);
            return true;
        }

        error = string.Create(CultureInfo.InvariantCulture, $"bad {AccessLogFields.All[(int)field - 1].AwsName} field: expected a quoted string or -, found '{text}'");
        return false;
    }

    private static bool TryNumber(ReadOnlySpan<char> line, ReadOnlySpan<FieldSpan> f, AccessLogField field, out long? value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        value = null;
        var span = Get(f, field);
        if (span.Length <= 0)
        {
            return true;
        }

        var text = span.Of(line);
        if (text is "-")
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            value = number;
            return true;
        }

        error = string.Create(CultureInfo.InvariantCulture, $"bad {AccessLogFields.All[(int)field - 1].AwsName} field: expected a number or -, found '{text}'");
        return false;
    }

    // dd/MMM/yyyy:HH:mm:ss +hhmm (spec §1.2 field 3); months in English, any case; any offset.
    private static bool TryParseTime(ReadOnlySpan<char> s, out DateTimeOffset time)
    {
        time = default;
        if (s.Length != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':' || s[20] != ' '
            || (s[21] != '+' && s[21] != '-'))
        {
            return false;
        }

        var month = MonthNumber(s.Slice(3, 3));
        if (!TryDigits(s, 0, 2, out var day) || !TryDigits(s, 7, 4, out var year) || !TryDigits(s, 12, 2, out var hour)
            || !TryDigits(s, 15, 2, out var minute) || !TryDigits(s, 18, 2, out var second)
            || !TryDigits(s, 22, 2, out var offsetHours) || !TryDigits(s, 24, 2, out var offsetMinutes))
        {
            return false;
        }

        if (month == 0 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59
            || offsetMinutes > 59 || (offsetHours * 60) + offsetMinutes > 14 * 60)
        {
            return false;
        }

        var offset = new TimeSpan(offsetHours, offsetMinutes, 0);
        if (s[21] == '-')
        {
            offset = -offset;
        }

        // The instant must exist in UTC too (01/Jan/0001 at +0100 does not).
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        time = new DateTimeOffset(local, offset);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, int start, int length, out int value)
    {
        value = 0;
        for (var i = start; i < start + length; i++)
        {
            var digit = s[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    private static int MonthNumber(ReadOnlySpan<char> m)
    {
        // Lower-case the three ASCII letters and compare as one number.
        var key = ((m[0] | 0x20) << 16) | ((m[1] | 0x20) << 8) | (m[2] | 0x20);
        return key switch
        {
            ('j' << 16) | ('a' << 8) | 'n' => 1,
            ('f' << 16) | ('e' << 8) | 'b' => 2,
            ('m' << 16) | ('a' << 8) | 'r' => 3,
            ('a' << 16) | ('p' << 8) | 'r' => 4,
            ('m' << 16) | ('a' << 8) | 'y' => 5,
            ('j' << 16) | ('u' << 8) | 'n' => 6,
            ('j' << 16) | ('u' << 8) | 'l' => 7,
            ('a' << 16) | ('u' << 8) | 'g' => 8,
            ('s' << 16) | ('e' << 8) | 'p' => 9,
            ('o' << 16) | ('c' << 8) | 't' => 10,
            ('n' << 16) | ('o' << 8) | 'v' => 11,
            ('d' << 16) | ('e' << 8) | 'c' => 12,
            _ => 0,
        };
    }
}

/// <summary>Where a field's text lies in its line; <see cref="Absent"/> when the line has no such field.</summary>
internal readonly record struct FieldSpan(int Start, int Length)
{
    public static FieldSpan Absent => new(0, -1);

    public ReadOnlySpan<char> Of(ReadOnlySpan<char> line) => Length < 0 ? default : line.Slice(Start, Length);
}
