using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Tally.Server.Admin;

namespace Tally.Cli.Commands;

/// <summary>
/// How `tally logs`, `tally logging` and `tally lifecycle` reach a running server: its admin API
/// (<c>/_tally/</c>) at the endpoint and with the token the server wrote to <c>DATA/admin.json</c>;
/// <c>--endpoint</c> and <c>--token</c> (or TALLY_ADMIN_TOKEN) override them.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;

    private AdminClient(HttpClient http) => _http = http;

    /// <summary>The client, or null after printing why the server cannot be reached.</summary>
    public static AdminClient? Create(string dataDir, string? endpoint, string? token, TimeSpan? timeout = null)
    {
        AdminToken.AdminFile? file = null;
        var path = Path.Combine(dataDir, AdminToken.FileName);
        if (File.Exists(path))
        {
            try
            {
                file = JsonSerializer.Deserialize<AdminToken.AdminFile>(File.ReadAllBytes(path));
            }
            catch (JsonException)
            {
                // Reported below as "no token".
            }
            catch (UnauthorizedAccessException)
            {
                // admin.json is readable by the server's user only.
            }
        }

        endpoint ??= file?.Endpoint;
        token ??= Environment.GetEnvironmentVariable("TALLY_ADMIN_TOKEN") ?? file?.Token;
        if (endpoint is null || token is null)
        {
            Console.Error.WriteLine($"error: no running server found: {path} is missing or unreadable. Start `tally serve --data {dataDir}`, or pass --endpoint and --token.");
            return null;
        }

        var http = new HttpClient { BaseAddress = new Uri(endpoint.TrimEnd('/') + "/"), Timeout = timeout ?? TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new AdminClient(http);
    }

    public async Task<T?> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: AdminEndpoints.Json);
        }

        using var response = await _http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(ct);
            throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}: {ExtractError(problem)}");
        }

        return await response.Content.ReadFromJsonAsync<T>(AdminEndpoints.Json, ct);
    }

    public async Task<string> GetRawAsync(string path, CancellationToken ct) => await _http.GetStringAsync(path.TrimStart('/'), ct);

    public async Task<Stream> OpenStreamAsync(string path, CancellationToken ct)
    {
        var response = await _http.GetAsync(path.TrimStart('/'), HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(ct);
            response.Dispose();
            throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}: {ExtractError(problem)}");
        }

        return await response.Content.ReadAsStreamAsync(ct);
    }

    public void Dispose() => _http.Dispose();

    private static string ExtractError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("error", out var error) ? error.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
