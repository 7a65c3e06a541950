using System.Security.Cryptography;
using System.Text;

namespace Tally.Security.SigV4;

/// <summary>One query parameter, decoded and re-encoded the SigV4 way.</summary>
internal readonly record struct QueryParameter(string Name, string Value, string EncodedName, string EncodedValue);

/// <summary>
/// Builds the SigV4 canonical request, string to sign and signature, as the AWS documentation
/// "Create a canonical request" describes it for S3: the path is encoded once (S3 does not
/// double-encode), query parameters are re-encoded with the RFC 3986 unreserved set and sorted,
/// header values are trimmed with inner whitespace runs collapsed.
/// </summary>
internal static class CanonicalRequest
{
    private static readonly string HexUpper = "0123456789ABCDEF";

    /// <summary>
    /// The canonical URI: the path decoded as sent and encoded again, so clients that leave a
    /// character such as '!' unencoded (or use lowercase hex) still match what they signed.
    /// </summary>
    public static string CanonicalUri(string rawPath)
    {
        if (rawPath.Length == 0)
        {
            return "/";
        }

        var builder = new StringBuilder(rawPath.Length + 16);
        AppendEncoded(builder, PercentDecode(rawPath, plusAsSpace: false), keepSlash: true);
        return builder.ToString();
    }

    public static List<QueryParameter> ParseQuery(string rawQuery)
    {
        var parameters = new List<QueryParameter>();
        foreach (var part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var rawName = equals < 0 ? part : part[..equals];
            var rawValue = equals < 0 ? string.Empty : part[(equals + 1)..];

            // '+' in a query means space (form encoding); SigV4 signers always send a real '+' as %2B.
            var name = PercentDecode(rawName, plusAsSpace: true);
            var value = PercentDecode(rawValue, plusAsSpace: true);
            parameters.Add(new QueryParameter(
                Encoding.UTF8.GetString(name),
                Encoding.UTF8.GetString(value),
                Encode(name),
                Encode(value)));
        }

        return parameters;
    }

    public static string CanonicalQuery(IEnumerable<QueryParameter> parameters, string? excludedName)
    {
        var included = parameters
            .Where(p => excludedName is null || !string.Equals(p.Name, excludedName, StringComparison.Ordinal))
            .OrderBy(p => p.EncodedName, StringComparer.Ordinal)
            .ThenBy(p => p.EncodedValue, StringComparer.Ordinal);
        return string.Join('&', included.Select(p => p.EncodedName + "=" + p.EncodedValue));
    }

    public static string Build(
        string method,
        string canonicalUri,
        string canonicalQuery,
        IReadOnlyList<string> signedHeaders,
        Func<string, string?> header,
        string payloadHash)
    {
        var builder = new StringBuilder(256);
        builder.Append(method).Append('\n')
            .Append(canonicalUri).Append('\n')
            .Append(canonicalQuery).Append('\n');
        foreach (var name in signedHeaders)
        {
            builder.Append(name).Append(':');
            AppendTrimmed(builder, header(name) ?? string.Empty);
            builder.Append('\n');
        }

        builder.Append('\n')
            .Append(string.Join(';', signedHeaders)).Append('\n')
            .Append(payloadHash);
        return builder.ToString();
    }

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{SigV4Constants.Algorithm}\n{amzDate}\n{scope}\n{Sha256Hex(canonicalRequest)}";

    public static byte[] DeriveSigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(SigV4Constants.Terminator));
    }

    public static string Sign(byte[] signingKey, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    public static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>Compares hex signatures in constant time, ignoring the case of the provided one.</summary>
    public static bool SignaturesEqual(string computed, string provided)
    {
        if (computed.Length != provided.Length)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[computed.Length];
        Span<byte> b = stackalloc byte[provided.Length];
        for (var i = 0; i < computed.Length; i++)
        {
            a[i] = (byte)computed[i];
            b[i] = (byte)char.ToLowerInvariant(provided[i]);
        }

        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length + 8);
        AppendEncoded(builder, bytes, keepSlash: false);
        return builder.ToString();
    }

    private static void AppendEncoded(StringBuilder builder, ReadOnlySpan<byte> bytes, bool keepSlash)
    {
        foreach (var b in bytes)
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~' || (keepSlash && b == '/'))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }
    }

    /// <summary>Decodes %XX escapes to bytes; anything else is taken as UTF-8 text. Malformed escapes stay literal.</summary>
    private static byte[] PercentDecode(string value, bool plusAsSpace)
    {
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(value.Length)];
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && char.IsAsciiHexDigit(value[i + 1]) && char.IsAsciiHexDigit(value[i + 2]))
            {
                bytes[length++] = (byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2]));
                i += 2;
            }
            else if (c == '+' && plusAsSpace)
            {
                bytes[length++] = (byte)' ';
            }
            else if (c < 0x80)
            {
                bytes[length++] = (byte)c;
            }
            else
            {
                var count = char.IsHighSurrogate(c) && i + 1 < value.Length ? 2 : 1;
                length += Encoding.UTF8.GetBytes(value.AsSpan(i, count), bytes.AsSpan(length));
                i += count - 1;
            }
        }

        return bytes[..length];
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>Trims the value and collapses each run of spaces/tabs inside it to one space.</summary>
    private static void AppendTrimmed(StringBuilder builder, string value)
    {
        var span = value.AsSpan().Trim();
        var inWhitespace = false;
        foreach (var c in span)
        {
            if (c is ' ' or '\t')
            {
                if (!inWhitespace)
                {
                    builder.Append(' ');
                }

                inWhitespace = true;
            }
            else
            {
                builder.Append(c);
                inWhitespace = false;
            }
        }
    }
}
