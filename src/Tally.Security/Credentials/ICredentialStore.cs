namespace Tally.Security.Credentials;

/// <summary>
/// Looks up the credential behind an access key id. Thread-safe. Returns null (never throws) for an
/// unknown key; the authenticator turns that into InvalidAccessKeyId.
/// </summary>
public interface ICredentialStore
{
    ValueTask<UserCredential?> FindByAccessKeyAsync(string accessKeyId, CancellationToken cancellationToken);
}
