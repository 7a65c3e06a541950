using Amazon.Runtime;
using Amazon.S3;
using Microsoft.AspNetCore.Builder;
using Tally.Server.Hosting;

namespace Tally.Server.Tests;

/// <summary>
/// A real Tally server on 127.0.0.1 (Kestrel, port chosen by the OS) over a fresh temp data
/// directory, with fixed root keys, plus AWSSDK.S3 clients pointed at it.
/// </summary>
public sealed class TallyServer : IAsyncDisposable
{
    public const string RootAccessKey = "AKIATALLYTESTROOT000";
    public const string RootSecretKey = "tally/test/root/secret/key/0000000000000";

    private TallyServer(WebApplication app, string dataDir, TallyOptions options)
    {
        App = app;
        DataDir = dataDir;
        Options = options;
        Endpoint = TallyHost.BoundAddress(app);
    }

    public WebApplication App { get; }

    public string DataDir { get; }

    public TallyOptions Options { get; }

    public Uri Endpoint { get; }

    public static async Task<TallyServer> StartAsync(Func<TallyOptions, TallyOptions>? configure = null, TimeProvider? time = null, string? dataDir = null)
    {
        dataDir ??= Path.Combine(Path.GetTempPath(), "tally-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var options = new TallyOptions
        {
            DataDir = dataDir,
            Listen = "127.0.0.1:0",
            Regions = ["us-east-1", "eu-west-1"],
            Environment = name => name switch
            {
                "TALLY_ROOT_ACCESS_KEY" => RootAccessKey,
                "TALLY_ROOT_SECRET_KEY" => RootSecretKey,
                _ => null,
            },
        };
        options = configure?.Invoke(options) ?? options;
        var app = TallyHost.Build(options, time);
        await app.StartAsync();
        return new TallyServer(app, dataDir, options);
    }

    public AmazonS3Client Client(string accessKey = RootAccessKey, string secretKey = RootSecretKey, Action<AmazonS3Config>? configure = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        };
        configure?.Invoke(config);
        return new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), config);
    }

    public HttpClient Http() => new() { BaseAddress = Endpoint };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing request; the temp dir is cleaned by the OS.
        }
    }
}
