namespace Tally.Security.SigV4;

/// <summary>How strictly requests are checked.</summary>
public sealed record SigV4Options
{
    /// <summary>Region a credential scope must name; null accepts any region (a single-region server).</summary>
    public string? Region { get; init; }

    /// <summary>AWS allows 15 minutes between the request's time and the server's.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(15);
}
