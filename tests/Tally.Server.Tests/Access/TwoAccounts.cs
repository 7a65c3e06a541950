using Amazon.Runtime;
using Amazon.S3;
using Tally.Security.Credentials;

namespace Tally.Server.Tests.Access;

/// <summary>
/// A running server with its primary account's root (<see cref="Owner"/>) and a second account
/// (<see cref="Alternate"/>), plus a way to add users; each test class gets its own server.
/// </summary>
public sealed class TwoAccounts : IAsyncLifetime
{
    public TallyServer Server { get; private set; } = null!;

    public AmazonS3Client Owner { get; private set; } = null!;

    public UserCredential AlternateRoot { get; private set; } = null!;

    public AmazonS3Client Alternate { get; private set; } = null!;

    public CredentialStore Credentials { get; private set; } = null!;

    public string OwnerAccountId => Credentials.RootAccountId;

    public string OwnerCanonicalId => Credentials.Root.Root.Identity.CanonicalUserId;

    public async Task InitializeAsync()
    {
        Server = await TallyServer.StartAsync();
        Owner = Server.Client();
        Credentials = CredentialStore.Open(Server.DataDir);
        AlternateRoot = await Credentials.CreateUserAsync("alternate", newAccount: true);
        Alternate = Client(AlternateRoot);
    }

    public async Task<(UserCredential User, AmazonS3Client Client)> UserAsync(string name, bool newAccount = false, string? policy = null)
    {
        var user = await Credentials.CreateUserAsync(name, newAccount, policy);
        return (user, Client(user));
    }

    public AmazonS3Client Client(UserCredential user) => Server.Client(user.AccessKeyId, user.SecretAccessKey);

    public AmazonS3Client Anonymous() =>
        new(new AnonymousAWSCredentials(), new AmazonS3Config { ServiceURL = Server.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    public async Task DisposeAsync()
    {
        Owner.Dispose();
        Alternate.Dispose();
        await Server.DisposeAsync();
    }
}
