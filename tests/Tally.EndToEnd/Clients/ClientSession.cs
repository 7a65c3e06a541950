using Tally.EndToEnd.Hosting;

namespace Tally.EndToEnd.Clients;

/// <summary>
/// One test's client environment: a temp HOME with its own aws/rclone/s3cmd config and only the
/// root credentials in the environment, so nothing from the machine's user leaks in or out.
/// </summary>
public sealed class ClientSession : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    // Variables of the machine's user that would change what the clients do.
    private static readonly string[] LeakingPrefixes = ["AWS_", "RCLONE_", "S3CMD", "BOTO", "PYTHON"];
    private static readonly string[] LeakingNames = ["http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"];

    private readonly TempDirectory _home = new("client");
    private readonly Dictionary<string, string?> _environment = [];

    public ClientSession(string endpointUrl)
    {
        EndpointUrl = endpointUrl;
        Work = _home.Combine("work");
        Directory.CreateDirectory(Work);

        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (LeakingPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) || LeakingNames.Contains(name))
            {
                _environment[name] = null;
            }
        }

        var awsConfig = _home.Combine(".aws", "config");
        Directory.CreateDirectory(Path.GetDirectoryName(awsConfig)!);
        // 5 MB is S3's smallest part: a 20 MiB `aws s3 cp` becomes a 4-part multipart upload.
        File.WriteAllText(awsConfig, """
            [default]
            region = us-east-1
            output = json
            s3 =
              multipart_threshold = 5MB
              multipart_chunksize = 5MB
            """);

        _environment["HOME"] = _home.Path;
        _environment["XDG_CONFIG_HOME"] = _home.Combine(".config");
        _environment["NO_PROXY"] = "127.0.0.1,localhost";
        _environment["no_proxy"] = "127.0.0.1,localhost";
        _environment["AWS_ACCESS_KEY_ID"] = RootKeys.AccessKeyId;
        _environment["AWS_SECRET_ACCESS_KEY"] = RootKeys.SecretAccessKey;
        _environment["AWS_DEFAULT_REGION"] = RootKeys.Region;
        _environment["AWS_CONFIG_FILE"] = awsConfig;
        _environment["AWS_SHARED_CREDENTIALS_FILE"] = _home.Combine(".aws", "credentials");
        _environment["AWS_EC2_METADATA_DISABLED"] = "true";
        _environment["AWS_PAGER"] = string.Empty;
        _environment["PYTHONNOUSERSITE"] = "1";
        _environment["RCLONE_CONFIG"] = _home.Combine("rclone.conf");
    }

    public string EndpointUrl { get; }

    /// <summary>The working directory of every command and the place for the test's local files.</summary>
    public string Work { get; }

    public string Home => _home.Path;

    /// <summary>A bucket name no other test uses (AWS rules: 3–63 lowercase letters, digits, '-').</summary>
    public static string NewBucketName(string purpose)
    {
        var name = $"e2e-{purpose}-{Guid.NewGuid():N}";
        return name.Length <= 63 ? name : name[..63];
    }

    /// <summary>Deterministic bytes: the same (size, seed) always gives the same content.</summary>
    public static byte[] Content(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void SetVariable(string name, string value) => _environment[name] = value;

    public string WriteFile(string relativePath, byte[] content)
    {
        var path = Path.Combine(Work, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public string PathOf(string relativePath) => Path.Combine(Work, relativePath);

    public Task<CliResult> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        CliProcess.RunAsync(ClientTools.Require(tool), arguments, _environment, Work, timeout ?? DefaultTimeout);

    /// <summary>`aws --endpoint-url URL ARGS…`</summary>
    public Task<CliResult> AwsAsync(params string[] arguments) =>
        RunAsync(ClientTools.Aws, ["--endpoint-url", EndpointUrl, .. arguments]);

    /// <summary>`tally ARGS…`: the same program as the server, as a user runs its other commands.</summary>
    public Task<CliResult> TallyAsync(params string[] arguments)
    {
        var start = TallyBinary.StartInfo(arguments);
        return CliProcess.RunAsync(start.FileName, start.ArgumentList, _environment, Work, DefaultTimeout);
    }

    public void Dispose() => _home.Dispose();
}
