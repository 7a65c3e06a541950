using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Tally.AccessLogs.Delivery;
using Tally.AccessLogs.Records;
using Tally.Security.Credentials;
using Tally.Server.Admin;

namespace Tally.Server.Tests.Logging;

/// <summary>
/// Reading what the server delivered: flush through the admin API (as `tally logs flush` does),
/// then list and read the log objects in the target bucket with the SDK and parse their lines.
/// </summary>
internal static class LogHarness
{
    public static async Task EnableAsync(AmazonS3Client s3, string source, string target, string prefix, TargetObjectKeyFormat? format = null)
    {
        await s3.PutBucketLoggingAsync(new PutBucketLoggingRequest
        {
            BucketName = source,
            LoggingConfig = new S3BucketLoggingConfig { TargetBucketName = target, TargetPrefix = prefix, TargetObjectKeyFormat = format },
        });
    }

    public static HttpClient Admin(TallyServer server)
    {
        var http = server.Http();
        var token = server.App.Services.GetRequiredService<AdminToken>().Token;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public static async Task<DeliveryReport> FlushAsync(TallyServer server, string? bucket = null)
    {
        using var admin = Admin(server);
        using var response = await admin.PostAsync(bucket is null ? "/_tally/logs/flush" : $"/_tally/logs/flush?bucket={bucket}", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DeliveryReport>(AdminEndpoints.Json))!;
    }

    public static async Task<SpoolStatus> StatusAsync(TallyServer server)
    {
        using var admin = Admin(server);
        return (await admin.GetFromJsonAsync<SpoolStatus>("/_tally/logs/status", AdminEndpoints.Json))!;
    }

    /// <summary>Every log object under <paramref name="prefix"/> in <paramref name="target"/>: key → lines.</summary>
    public static async Task<Dictionary<string, List<string>>> ReadObjectsAsync(AmazonS3Client s3, string target, string prefix)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = target, Prefix = prefix });
        foreach (var o in listing.S3Objects ?? [])
        {
            using var get = await s3.GetObjectAsync(target, o.Key);
            using var reader = new StreamReader(get.ResponseStream, Encoding.UTF8);
            var text = await reader.ReadToEndAsync();
            Assert.EndsWith("\n", text, StringComparison.Ordinal);
            result[o.Key] = [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        }

        return result;
    }

    /// <summary>Flushes, then returns every delivered line under <paramref name="prefix"/>, parsed.</summary>
    public static async Task<List<ParsedAccessLogLine>> FlushAndReadAsync(TallyServer server, AmazonS3Client s3, string target, string prefix)
    {
        await FlushAsync(server);
        var objects = await ReadObjectsAsync(s3, target, prefix);
        return [.. objects.Values.SelectMany(lines => lines).Select(Parse)];
    }

    public static ParsedAccessLogLine Parse(string line)
    {
        Assert.True(AccessLogParser.TryParseLine(line, out var parsed, out var error), $"{error}: {line}");
        return parsed;
    }

    public static ParsedAccessLogLine Single(IEnumerable<ParsedAccessLogLine> lines, string requestId, string operation)
    {
        var matches = lines.Where(l => l.Record.RequestId == requestId && l.Record.Operation == operation).ToList();
        return Assert.Single(matches);
    }

    public static string F(this ParsedAccessLogLine line, AccessLogField field) => line.Raw(field)!;

    public static async Task<UserCredential> CreateUserAsync(TallyServer server, string name, bool newAccount) =>
        await server.App.Services.GetRequiredService<CredentialStore>().CreateUserAsync(name, newAccount);

    public static string RootCanonicalId(TallyServer server) =>
        server.App.Services.GetRequiredService<CredentialStore>().Root.Root.Identity.CanonicalUserId;
}
