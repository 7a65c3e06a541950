using System.Collections.Concurrent;
using System.Net;
using Amazon.S3.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Tally.Security.Credentials;
using Tally.Server.Hosting;

namespace Tally.Server.Tests.Access;

/// <summary>Why a request was denied goes to the server's debug log; the client gets only AWS's "Access Denied".</summary>
public sealed class DenialLogTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _messages = new();
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "tally-tests", Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private Uri _endpoint = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        var options = new TallyOptions
        {
            DataDir = _dataDir,
            Listen = "127.0.0.1:0",
            Environment = name => name switch
            {
                "TALLY_ROOT_ACCESS_KEY" => TallyServer.RootAccessKey,
                "TALLY_ROOT_SECRET_KEY" => TallyServer.RootSecretKey,
                _ => null,
            },
        };
        _app = TallyHost.Build(options, logging: logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new LogLines(_messages)));
        await _app.StartAsync();
        _endpoint = TallyHost.BoundAddress(_app);
    }

    [Fact]
    public async Task The_denying_statement_is_logged_at_debug_level_and_not_sent_to_the_client()
    {
        using var owner = Client(TallyServer.RootAccessKey, TallyServer.RootSecretKey);
        var other = await CredentialStore.Open(_dataDir).CreateUserAsync("other", newAccount: true);
        using var alternate = Client(other.AccessKeyId, other.SecretAccessKey);
        await owner.PutBucketAsync("logged-denials");
        await owner.PutObjectAsync(new PutObjectRequest { BucketName = "logged-denials", Key = "k", ContentBody = "v" });
        await owner.PutBucketPolicyAsync("logged-denials", Policies.AllowThenDeny("logged-denials", other.Identity.AccountId, "s3:GetObject"));

        var error = await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => alternate.GetObjectAsync("logged-denials", "k"));

        Assert.Equal("Access Denied", error.Message);
        Assert.DoesNotContain("DenyAlternateReads", error.ResponseBody ?? string.Empty, StringComparison.Ordinal);
        var line = Assert.Single(_messages, m => m.Level == LogLevel.Debug && m.Text.Contains("DenyAlternateReads", StringComparison.Ordinal));
        Assert.Contains(error.RequestId, line.Text, StringComparison.Ordinal);
        Assert.Contains("s3:GetObject", line.Text, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing request; the temp dir is cleaned by the OS.
        }
    }

    private Amazon.S3.AmazonS3Client Client(string accessKey, string secretKey) =>
        new(new Amazon.Runtime.BasicAWSCredentials(accessKey, secretKey), new Amazon.S3.AmazonS3Config
        {
            ServiceURL = _endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });

    /// <summary>Collects every log line of the host (which owns and disposes the provider).</summary>
    private sealed class LogLines(ConcurrentQueue<(LogLevel Level, string Text)> messages) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(messages);

        public void Dispose()
        {
        }

        private sealed class Collector(ConcurrentQueue<(LogLevel Level, string Text)> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
