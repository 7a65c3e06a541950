using Tally.EndToEnd.Hosting;

namespace Tally.EndToEnd.Clients;

/// <summary>Debian's s3cmd with a generated config file: path-style, plain HTTP, SigV4.</summary>
[Collection(TallyServerCollection.Name)]
public sealed class S3cmdTests(TallyServerFixture server) : IDisposable
{
    private readonly ClientSession _client = new(server.EndpointUrl);

    public void Dispose() => _client.Dispose();

    [ClientFact(ClientTools.S3cmd)]
    public async Task Makes_a_bucket_puts_lists_gets_and_removes_with_s3cmd()
    {
        var bucket = ClientSession.NewBucketName("s3cmd");
        var small = ClientSession.Content(777, seed: 21);
        var large = ClientSession.Content(12 * 1024 * 1024, seed: 22);
        _client.WriteFile("small.bin", small);
        _client.WriteFile("large.bin", large);

        (await S3cmdAsync("mb", $"s3://{bucket}")).ShouldSucceed();
        (await S3cmdAsync("put", _client.PathOf("small.bin"), $"s3://{bucket}/small.bin")).ShouldSucceed();
        // 5 MiB chunks: s3cmd uploads the 12 MiB file as a three-part multipart upload.
        (await S3cmdAsync("put", "--multipart-chunk-size-mb=5", _client.PathOf("large.bin"), $"s3://{bucket}/dir/large.bin")).ShouldSucceed();

        var listed = (await S3cmdAsync("ls", "--recursive", $"s3://{bucket}")).ShouldSucceed();
        Assert.Contains($"s3://{bucket}/small.bin", listed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"s3://{bucket}/dir/large.bin", listed.StandardOutput, StringComparison.Ordinal);

        (await S3cmdAsync("get", $"s3://{bucket}/small.bin", _client.PathOf("small-copy.bin"))).ShouldSucceed();
        (await S3cmdAsync("get", $"s3://{bucket}/dir/large.bin", _client.PathOf("large-copy.bin"))).ShouldSucceed();
        Assert.Equal(small, await File.ReadAllBytesAsync(_client.PathOf("small-copy.bin")));
        Assert.Equal(large, await File.ReadAllBytesAsync(_client.PathOf("large-copy.bin")));

        (await S3cmdAsync("del", $"s3://{bucket}/small.bin", $"s3://{bucket}/dir/large.bin")).ShouldSucceed();
        var empty = (await S3cmdAsync("ls", "--recursive", $"s3://{bucket}")).ShouldSucceed();
        Assert.DoesNotContain($"s3://{bucket}/", empty.StandardOutput, StringComparison.Ordinal);
        (await S3cmdAsync("rb", $"s3://{bucket}")).ShouldSucceed();
    }

    private Task<CliResult> S3cmdAsync(params string[] arguments)
    {
        var host = new Uri(_client.EndpointUrl).Authority;
        var config = _client.WriteFile("s3cmd.cfg", System.Text.Encoding.UTF8.GetBytes($"""
            [default]
            access_key = {RootKeys.AccessKeyId}
            secret_key = {RootKeys.SecretAccessKey}
            host_base = {host}
            host_bucket = {host}
            use_https = False
            signature_v2 = False
            bucket_location = US
            check_ssl_certificate = False
            """));
        return _client.RunAsync(ClientTools.S3cmd, ["--config", config, .. arguments]);
    }
}
