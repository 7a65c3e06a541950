using System.Globalization;
using System.Text.Json;
using Tally.EndToEnd.Hosting;

namespace Tally.EndToEnd.Clients;

/// <summary>
/// Issue 7 as a user does it: `tally logging enable --cold-after --expire-after` on a running
/// server, `tally logs status` showing the rule, and `tally lifecycle run` expiring the delivered
/// log objects on the running server.
/// </summary>
[Collection(TallyServerCollection.Name)]
public sealed class LogRetentionCliTests(TallyServerFixture server) : IDisposable
{
    private readonly ClientSession _client = new(server.EndpointUrl);

    public void Dispose() => _client.Dispose();

    [ClientFact(ClientTools.Aws)]
    public async Task Log_bucket_retention_is_set_shown_and_applied_from_the_command_line()
    {
        var source = ClientSession.NewBucketName("lc-src");
        var target = ClientSession.NewBucketName("lc-logs");
        var data = server.Server.DataDir;
        (await _client.AwsAsync("s3", "mb", $"s3://{source}")).ShouldSucceed();

        var enabled = (await _client.TallyAsync("logging", "enable", source, "--target", target, "--cold-after", "30d", "--expire-after", "365d", "--data", data)).ShouldSucceed();
        Assert.Contains($"lifecycle rule tally-log-retention-{source} on {target}: {source}/* to STANDARD_IA after 30 days, expire after 365 days", enabled.StandardOutput, StringComparison.Ordinal);

        var file = _client.WriteFile("hello.txt", "hello"u8.ToArray());
        (await _client.AwsAsync("s3", "cp", file, $"s3://{source}/hello.txt")).ShouldSucceed();
        var flushed = (await _client.TallyAsync("logs", "flush", source, "--data", data)).ShouldSucceed();
        var delivered = Assert.Single(flushed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Split('\t')[0];
        Assert.StartsWith($"s3://{target}/{source}/", delivered, StringComparison.Ordinal);
        var logKey = delivered[$"s3://{target}/".Length..];

        var status = (await _client.TallyAsync("logs", "status", "--data", data)).ShouldSucceed();
        Assert.Contains("30d → STANDARD_IA", status.StandardOutput, StringComparison.Ordinal);
        var json = (await _client.TallyAsync("logs", "status", "--json", "--data", data)).ShouldSucceed();
        using (var document = JsonDocument.Parse(json.StandardOutput))
        {
            var rule = Assert.Single(document.RootElement.GetProperty("retention").EnumerateArray(), r => r.GetProperty("targetBucket").GetString() == target);
            Assert.Equal($"tally-log-retention-{source}", rule.GetProperty("ruleId").GetString());
            Assert.Equal(30, rule.GetProperty("coldAfterDays").GetInt32());
            Assert.Equal(365, rule.GetProperty("expireAfterDays").GetInt32());
        }

        var refused = (await _client.TallyAsync("logging", "enable", source, "--target", target, "--cold-after", "60d", "--expire-after", "30d", "--data", data)).ShouldFail();
        Assert.Contains("InvalidArgument", refused.StandardError, StringComparison.Ordinal);

        var asOf = DateTime.UtcNow.AddDays(400).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var preview = (await _client.TallyAsync("lifecycle", "run", "--as-of", asOf, "--dry-run", "--data", data)).ShouldSucceed();
        Assert.Contains($"would S3.EXPIRE.OBJECT s3://{target}/{logKey} (rule tally-log-retention-{source}", preview.StandardOutput, StringComparison.Ordinal);
        (await _client.AwsAsync("s3api", "head-object", "--bucket", target, "--key", logKey)).ShouldSucceed();
        var run = (await _client.TallyAsync("lifecycle", "run", "--as-of", asOf, "--data", data)).ShouldSucceed();
        Assert.Matches(@"expired\s+[1-9]", run.StandardOutput);
        var lifecycle = (await _client.TallyAsync("lifecycle", "status", "--data", data)).ShouldSucceed();
        Assert.Contains($"  {target}: 1 of 1 rules enabled", lifecycle.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("next daily run", lifecycle.StandardOutput, StringComparison.Ordinal);
        var gone = (await _client.AwsAsync("s3api", "head-object", "--bucket", target, "--key", logKey)).ShouldFail();
        Assert.Contains("404", gone.StandardError, StringComparison.Ordinal);
    }
}
