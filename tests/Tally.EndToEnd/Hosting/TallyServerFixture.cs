namespace Tally.EndToEnd.Hosting;

/// <summary>One real server for the client tests of a collection; each test uses its own bucket.</summary>
public sealed class TallyServerFixture : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _data = new("data");
    private TallyProcess? _server;

    public TallyProcess Server => _server ?? throw new InvalidOperationException("the server has not started");

    public string EndpointUrl => Server.EndpointUrl;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await TallyProcess.StartAsync(_data.Path, FreePort.Next(), timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _data.Dispose();
    }

    public void Dispose() => _data.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TallyServerCollection : ICollectionFixture<TallyServerFixture>
{
    public const string Name = "tally server";
}
