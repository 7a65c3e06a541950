using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tally.Server.Admin;

/// <summary>
/// The secret that guards the admin API (<c>/_tally/</c>): a random token kept with the server's
/// endpoint in <c>DATA/admin.json</c> (readable by the server's user only), which `tally logs …`
/// reads from the same data directory. The admin API is not S3, so it is not SigV4-signed.
/// </summary>
public sealed class AdminToken
{
    public const string FileName = "admin.json";

    private readonly byte[] _token;

    private AdminToken(string dataDir, string token)
    {
        DataDir = dataDir;
        Token = token;
        _token = Encoding.ASCII.GetBytes(token);
    }

    public string DataDir { get; }

    public string Token { get; }

    /// <summary>Keeps the token of a previous run (clients configured with it keep working), else makes one.</summary>
    public static AdminToken LoadOrCreate(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            try
            {
                var existing = JsonSerializer.Deserialize<AdminFile>(File.ReadAllBytes(path));
                if (existing?.Token is { Length: > 0 } token)
                {
                    return new AdminToken(dataDir, token);
                }
            }
            catch (JsonException)
            {
                // Unreadable: replaced below.
            }
        }

        return new AdminToken(dataDir, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
    }

    /// <summary>Writes <c>admin.json</c> with the endpoint the server is listening on.</summary>
    public void Publish(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var path = Path.Combine(DataDir, FileName);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(new AdminFile(endpoint.ToString().TrimEnd('/'), Token)));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Whether an <c>Authorization</c> header carries this token (<c>Bearer TOKEN</c>), compared in constant time.</summary>
    public bool Accepts(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.Ordinal))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(authorization[scheme.Length..].Trim()), _token);
    }

    /// <summary>The content of <c>admin.json</c>.</summary>
    public sealed record AdminFile(string Endpoint, string Token);
}
