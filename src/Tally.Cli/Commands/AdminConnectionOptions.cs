using System.CommandLine;

namespace Tally.Cli.Commands;

/// <summary>
/// The options every command that talks to a running server takes (<c>--data</c>, <c>--endpoint</c>,
/// <c>--token</c>), and the one way such a command runs: no server found or an HTTP error is one
/// line on stderr and exit code 1.
/// </summary>
internal sealed class AdminConnectionOptions
{
    public Option<string> Data { get; } = CommonOptions.Data();

    public Option<string?> Endpoint { get; } = new("--endpoint") { HelpName = "URL", Description = "URL of the running server (default: the one recorded in DATA/admin.json)" };

    public Option<string?> Token { get; } = new("--token") { HelpName = "TOKEN", Description = "Admin token (default: TALLY_ADMIN_TOKEN, else DATA/admin.json)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Endpoint);
        command.Options.Add(Token);
    }

    public async Task<int> RunAsync(ParseResult result, Func<AdminClient, Task<int>> action, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(action);
        using var client = AdminClient.Create(result.GetRequiredValue(Data), result.GetValue(Endpoint), result.GetValue(Token), timeout);
        if (client is null)
        {
            return 1;
        }

        try
        {
            return await action(client);
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            return 1;
        }
    }

    /// <summary>
    /// A <c>status</c> command: GET <paramref name="path"/> of the admin API, printed as its JSON
    /// with <c>--json</c>, else shown by <paramref name="render"/> (which returns the exit code).
    /// </summary>
    public static Command StatusCommand<T>(string description, string path, Func<T, int> render)
    {
        var admin = new AdminConnectionOptions();
        var json = new Option<bool>("--json") { Description = "Print the admin API's JSON" };
        var command = new Command("status", description) { json };
        admin.AddTo(command);
        command.SetAction((result, ct) => admin.RunAsync(result, async client =>
        {
            if (result.GetValue(json))
            {
                Console.WriteLine(await client.GetRawAsync(path, ct));
                return 0;
            }

            return render((await client.SendAsync<T>(HttpMethod.Get, path, null, ct))!);
        }));
        return command;
    }
}
