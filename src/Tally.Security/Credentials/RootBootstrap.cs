namespace Tally.Security.Credentials;

/// <summary>Where the root user's keys came from when the store was opened.</summary>
public enum RootKeySource
{
    /// <summary>TALLY_ROOT_ACCESS_KEY / TALLY_ROOT_SECRET_KEY were set; they are stored and win over older keys.</summary>
    Environment,

    /// <summary>No keys anywhere: new ones were generated and saved. The caller prints them once.</summary>
    Generated,

    /// <summary>Keys saved by an earlier start were used.</summary>
    Stored,
}

/// <summary>The root user of the primary account, as found or created by <see cref="CredentialStore.Open"/>.</summary>
public sealed record RootBootstrap(UserCredential Root, RootKeySource Source)
{
    /// <summary>True only on the start that generated the keys: the one time they should be shown.</summary>
    public bool ShouldReportKeys => Source == RootKeySource.Generated;
}
