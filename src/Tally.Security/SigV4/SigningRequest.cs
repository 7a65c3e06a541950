namespace Tally.Security.SigV4;

/// <summary>
/// What SigV4 verification needs from an HTTP request, free of ASP.NET.
/// <paramref name="RawPath"/> is the path exactly as sent (still percent-encoded, no query);
/// <paramref name="RawQuery"/> is the query as sent, without '?'; <paramref name="Header"/> returns a
/// header's value by case-insensitive name (several values comma-joined) or null when absent;
/// <paramref name="Now"/> is the server's receive time; <paramref name="HeaderNames"/> lists the
/// request's header names (SigV2 signs every x-amz-* header, so it must enumerate them).
/// </summary>
public sealed record SigningRequest(
    string Method,
    string RawPath,
    string RawQuery,
    Func<string, string?> Header,
    DateTimeOffset Now,
    IEnumerable<string>? HeaderNames = null);
