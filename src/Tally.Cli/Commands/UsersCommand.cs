using System.CommandLine;
using System.Text.Json;
using Tally.Security.Credentials;

namespace Tally.Cli.Commands;

/// <summary>`tally users create|list`: IAM-style users and accounts. Works while the server runs (shared SQLite).</summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var command = new Command("users", "Manage accounts and users");
        command.Subcommands.Add(CreateUser());
        command.Subcommands.Add(ListUsers());
        return command;
    }

    private static Command CreateUser()
    {
        var data = CommonOptions.Data();
        var name = new Argument<string>("NAME") { Description = "User name" };
        var newAccount = new Option<bool>("--new-account") { Description = "Create a new account whose root user this is" };
        var json = new Option<bool>("--json") { Description = "Print as JSON" };
        var command = new Command("create", "Create a user and print its keys") { name, data, newAccount, json };
        command.SetAction(async (result, ct) =>
        {
            var store = CredentialStore.Open(result.GetRequiredValue(data));
            UserCredential user;
            try
            {
                user = await store.CreateUserAsync(result.GetRequiredValue(name), result.GetValue(newAccount), null, ct);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync("error: " + e.Message);
                return 2;
            }

            var view = new
            {
                user.Identity.UserName,
                user.Identity.AccountId,
                user.Identity.Arn,
                user.Identity.CanonicalUserId,
                user.AccessKeyId,
                user.SecretAccessKey,
            };
            Console.WriteLine(result.GetValue(json)
                ? JsonSerializer.Serialize(view)
                : $"user {view.UserName}\naccount {view.AccountId}\narn {view.Arn}\ncanonical id {view.CanonicalUserId}\naccess key {view.AccessKeyId}\nsecret key {view.SecretAccessKey}");
            return 0;
        });
        return command;
    }

    private static Command ListUsers()
    {
        var data = CommonOptions.Data();
        var command = new Command("list", "List users (without secrets)") { data };
        command.SetAction(async (result, ct) =>
        {
            var store = CredentialStore.Open(result.GetRequiredValue(data));
            foreach (var user in await store.ListUsersAsync(ct))
            {
                Console.WriteLine($"{user.Identity.Arn}\t{user.AccessKeyId}\t{user.Identity.CanonicalUserId}");
            }

            return 0;
        });
        return command;
    }
}
