using Amazon.S3;

namespace Tally.Server.Tests;

/// <summary>
/// Base of a test class whose every test runs against a server of its own: xunit makes one instance
/// a test, so each test gets a fresh <see cref="TallyServer"/> (own data directory) and a root client,
/// both disposed after it.
/// </summary>
public abstract class ServerWithClient : IAsyncLifetime
{
    protected TallyServer Server { get; private set; } = null!;

    /// <summary>A client signed with the server's root keys.</summary>
    protected AmazonS3Client S3 { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Server = await TallyServer.StartAsync();
        S3 = Server.Client();
    }

    public async Task DisposeAsync()
    {
        S3.Dispose();
        await Server.DisposeAsync();
    }
}
