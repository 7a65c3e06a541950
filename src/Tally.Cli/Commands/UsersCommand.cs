using System.CommandLine;
using System.Text.Json;
using Tally.Core.Errors;
using Tally.Security.Credentials;
using Tally.Security.Policies;

namespace Tally.Cli.Commands;

/// <summary>`tally users create|list`: IAM-style users and accounts. Works while the server runs (shared SQLite).</summary>
internal static class UsersCommand
{
    // Secrets contain '+' and '/': write them as they are, not as \u002B escapes, for scripts.
    private static readonly JsonSerializerOptions ScriptJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
        var policy = new Option<string?>("--policy")
        {
            Description = "The user's identity policy: readonly (s3:Get*, s3:List*), readwrite (s3:*), or a JSON policy file. "
                + "Without it the user may do only what bucket policies and ACLs grant it by name.",
        };
        var json = new Option<bool>("--json") { Description = "Print as JSON" };
        var command = new Command("create", "Create a user and print its keys") { name, data, newAccount, policy, json };
        command.SetAction(async (result, ct) =>
        {
            string? policyJson = null;
            if (result.GetValue(policy) is { } policyArgument)
            {
                if (result.GetValue(newAccount))
                {
                    await Console.Error.WriteLineAsync("error: --policy is for users; a new account's root user may do everything on its own buckets");
                    return 2;
                }

                try
                {
                    policyJson = IdentityPolicies.Resolve(policyArgument, File.ReadAllText);
                }
                catch (S3Exception e)
                {
                    await Console.Error.WriteLineAsync($"error: {policyArgument}: {e.Error.Code}: {e.Message}");
                    return 2;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await Console.Error.WriteLineAsync($"error: cannot read the policy file {policyArgument}: {e.Message}");
                    return 2;
                }
            }

            var store = CredentialStore.Open(result.GetRequiredValue(data));
            UserCredential user;
            try
            {
                user = await store.CreateUserAsync(result.GetRequiredValue(name), result.GetValue(newAccount), policyJson, ct);
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
                ? JsonSerializer.Serialize(view, ScriptJson)
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
