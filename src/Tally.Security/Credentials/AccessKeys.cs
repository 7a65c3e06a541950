using System.Security.Cryptography;

namespace Tally.Security.Credentials;

/// <summary>Generates identifiers shaped like AWS's, so clients that validate their shape accept them.</summary>
internal static class AccessKeys
{
    private static readonly string UpperAlphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static readonly string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static readonly string Digits = "0123456789";

    // AWS long-term user keys start with AKIA and are 20 characters long.
    public static string NewAccessKeyId() => "AKIA" + RandomNumberGenerator.GetString(UpperAlphanumeric, 16);

    public static string NewSecretAccessKey() => RandomNumberGenerator.GetString(SecretAlphabet, 40);

    // 12 digits, never starting with 0 so that it survives a round trip through a number.
    public static string NewAccountId() => RandomNumberGenerator.GetString("123456789", 1) + RandomNumberGenerator.GetString(Digits, 11);

    public static string NewCanonicalUserId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static bool IsValidAccessKeyId(string value) =>
        value.Length is >= 16 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c));

    public static bool IsValidSecretAccessKey(string value) =>
        value.Length is >= 16 and <= 128 && !value.Any(char.IsWhiteSpace);

    // IAM user names: 1-64 of letters, digits and +=,.@_-
    public static bool IsValidUserName(string value) =>
        value.Length is >= 1 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || "+=,.@_-".Contains(c, StringComparison.Ordinal));
}
