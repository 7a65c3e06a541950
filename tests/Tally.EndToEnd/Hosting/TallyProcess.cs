using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;

namespace Tally.EndToEnd.Hosting;

/// <summary>
/// The real <c>tally serve</c> process on 127.0.0.1 with the fixed <see cref="RootKeys"/>. It is started
/// the way a user starts it (a separate process, its own data dir) so SIGKILL is a real crash.
/// </summary>
public sealed class TallyProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private static readonly int KeptOutputLines = 400;

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly Lock _outputLock = new();

    private TallyProcess(Process process, int port, string dataDir)
    {
        _process = process;
        Port = port;
        DataDir = dataDir;
    }

    public int Port { get; }

    public string DataDir { get; }

    public string EndpointUrl => $"http://127.0.0.1:{Port}";

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the server wrote to stdout and stderr, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts the server and returns once its port accepts connections.</summary>
    public static async Task<TallyProcess> StartAsync(string dataDir, int port, CancellationToken cancellationToken, params string[] serveOptions)
    {
        var start = TallyBinary.StartInfo(
            ["serve", "--data", dataDir, "--listen", $"127.0.0.1:{port}", "--region", RootKeys.Region, .. serveOptions]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.Environment["TALLY_ROOT_ACCESS_KEY"] = RootKeys.AccessKeyId;
        start.Environment["TALLY_ROOT_SECRET_KEY"] = RootKeys.SecretAccessKey;
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("DOTNET_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new TallyProcess(process, port, dataDir);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {start.FileName} {string.Join(' ', start.ArgumentList)}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilListeningAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>An SDK client with the root keys, one attempt per request (a retry would blur what the server acknowledged).</summary>
    public AmazonS3Client S3Client() => new(
        new BasicAWSCredentials(RootKeys.AccessKeyId, RootKeys.SecretAccessKey),
        new AmazonS3Config { ServiceURL = EndpointUrl, ForcePathStyle = true, AuthenticationRegion = RootKeys.Region, MaxErrorRetry = 0 });

    /// <summary>The admin API of this server, with the token it published in DATA/admin.json.</summary>
    public async Task<HttpClient> AdminClientAsync(CancellationToken ct)
    {
        var path = Path.Combine(DataDir, "admin.json");
        var waited = Stopwatch.StartNew();

        // admin.json is rewritten when the server has started; poll a separate process's file, bounded.
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (File.Exists(path))
            {
                using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(path, ct));
                var endpoint = document.RootElement.GetProperty("Endpoint").GetString()!;
                if (endpoint.EndsWith($":{Port}", StringComparison.Ordinal))
                {
                    var http = new HttpClient { BaseAddress = new Uri(endpoint + "/"), Timeout = TimeSpan.FromMinutes(2) };
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", document.RootElement.GetProperty("Token").GetString());
                    return http;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }

        throw new TimeoutException($"{path} did not name port {Port}");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing — what a power cut or the OOM killer does.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started: nothing to stop.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"tally serve exited with code {_process.ExitCode} before listening on {Port}. Output:\n{Output}");
            }

            using var client = new TcpClient();
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                await client.ConnectAsync("127.0.0.1", Port, attempt.Token);
                return;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Polling a separate process's port: there is no clock to fake, only a bounded wait.
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }

        throw new TimeoutException($"tally serve did not listen on {Port} within {StartTimeout.TotalSeconds} s. Output:\n{Output}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.Enqueue(line);
            while (_output.Count > KeptOutputLines)
            {
                _output.Dequeue();
            }
        }
    }
}
