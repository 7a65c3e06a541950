namespace Tally.EndToEnd.Hosting;

/// <summary>The fixed root credentials every end-to-end server starts with (TALLY_ROOT_* variables).</summary>
public static class RootKeys
{
    public const string AccessKeyId = "TALLYE2EROOTACCESS01";

    // A '/' and a '+' on purpose: real AWS secrets contain them and clients must sign with them as-is.
    public const string SecretAccessKey = "e2e/Secret+Key0123456789abcdefghijklmnop";

    public const string Region = "us-east-1";
}
