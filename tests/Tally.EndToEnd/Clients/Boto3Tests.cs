using Tally.EndToEnd.Hosting;

namespace Tally.EndToEnd.Clients;

/// <summary>Debian's python3-boto3: a script of the calls Python applications make, run as its own process.</summary>
[Collection(TallyServerCollection.Name)]
public sealed class Boto3Tests(TallyServerFixture server) : IDisposable
{
    private readonly ClientSession _client = new(server.EndpointUrl);

    public void Dispose() => _client.Dispose();

    [ClientFact(ClientTools.Boto3)]
    public async Task Round_trips_objects_multipart_and_presigned_urls_with_boto3()
    {
        _client.SetVariable("ENDPOINT_URL", _client.EndpointUrl);
        _client.SetVariable("BUCKET", ClientSession.NewBucketName("boto3"));
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "boto3_roundtrip.py");

        var result = (await _client.RunAsync(ClientTools.Boto3, [script])).ShouldSucceed();

        Assert.Contains("boto3 round trip OK", result.StandardOutput, StringComparison.Ordinal);
    }
}
