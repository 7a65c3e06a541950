using Tally.EndToEnd.Hosting;

namespace Tally.EndToEnd.Clients;

/// <summary>Debian's rclone with a remote configured only through RCLONE_CONFIG_TALLY_* variables.</summary>
[Collection(TallyServerCollection.Name)]
public sealed class RcloneTests : IDisposable
{
    private readonly ClientSession _client;

    public RcloneTests(TallyServerFixture server)
    {
        _client = new ClientSession(server.EndpointUrl);
        _client.SetVariable("RCLONE_CONFIG_TALLY_TYPE", "s3");
        _client.SetVariable("RCLONE_CONFIG_TALLY_PROVIDER", "Other");
        _client.SetVariable("RCLONE_CONFIG_TALLY_ENDPOINT", server.EndpointUrl);
        _client.SetVariable("RCLONE_CONFIG_TALLY_ACCESS_KEY_ID", RootKeys.AccessKeyId);
        _client.SetVariable("RCLONE_CONFIG_TALLY_SECRET_ACCESS_KEY", RootKeys.SecretAccessKey);
        _client.SetVariable("RCLONE_CONFIG_TALLY_REGION", RootKeys.Region);
    }

    public void Dispose() => _client.Dispose();

    [ClientFact(ClientTools.Rclone)]
    public async Task Copies_a_tree_up_checks_it_and_copies_it_back_with_rclone()
    {
        var bucket = ClientSession.NewBucketName("rclone");
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["a.txt"] = "alpha\n"u8.ToArray(),
            ["nested/b.bin"] = ClientSession.Content(200 * 1024, seed: 31),
            ["nested/deeper/c.bin"] = ClientSession.Content(3, seed: 32),
            ["spaced name/ü.bin"] = ClientSession.Content(4096, seed: 33),
            // Above the 5 MiB cut-off below: a multipart upload.
            ["big.bin"] = ClientSession.Content(11 * 1024 * 1024, seed: 34),
        };
        foreach (var (path, content) in files)
        {
            _client.WriteFile(Path.Combine("tree", path), content);
        }

        (await RcloneAsync("mkdir", $"tally:{bucket}")).ShouldSucceed();
        (await RcloneAsync("copy", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", _client.PathOf("tree"), $"tally:{bucket}/tree")).ShouldSucceed();

        var listed = (await RcloneAsync("ls", $"tally:{bucket}")).ShouldSucceed();
        foreach (var (path, content) in files)
        {
            Assert.Contains($"{content.Length} tree/{path}", listed.StandardOutput, StringComparison.Ordinal);
        }

        // check compares sizes and MD5 hashes of every file on both sides.
        (await RcloneAsync("check", _client.PathOf("tree"), $"tally:{bucket}/tree")).ShouldSucceed();

        (await RcloneAsync("copy", $"tally:{bucket}/tree", _client.PathOf("back"))).ShouldSucceed();
        foreach (var (path, content) in files)
        {
            Assert.Equal(content, await File.ReadAllBytesAsync(_client.PathOf(Path.Combine("back", path))));
        }

        (await RcloneAsync("purge", $"tally:{bucket}")).ShouldSucceed();
        var buckets = (await RcloneAsync("lsd", "tally:")).ShouldSucceed();
        Assert.DoesNotContain(bucket, buckets.StandardOutput, StringComparison.Ordinal);
    }

    private Task<CliResult> RcloneAsync(params string[] arguments) =>
        _client.RunAsync(ClientTools.Rclone, [.. arguments, "--retries", "1", "--low-level-retries", "1", "--contimeout", "10s", "--timeout", "60s"]);
}
