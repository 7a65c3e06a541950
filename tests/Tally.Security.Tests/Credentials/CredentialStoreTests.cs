using System.Text.RegularExpressions;
using Tally.Security.Credentials;

namespace Tally.Security.Tests.Credentials;

public sealed partial class CredentialStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Func<string, string?> NoEnvironment => _ => null;

    [GeneratedRegex("^AKIA[A-Z0-9]{16}$")]
    private static partial Regex AccessKeyShape();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountIdShape();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex CanonicalIdShape();

    [Fact]
    public void Generates_aws_shaped_root_keys_on_first_start_and_reports_them_once()
    {
        var first = CredentialStore.Open(_dir.Path, NoEnvironment);

        Assert.Equal(RootKeySource.Generated, first.Root.Source);
        Assert.True(first.Root.ShouldReportKeys);
        var root = first.Root.Root;
        Assert.Matches(AccessKeyShape(), root.AccessKeyId);
        Assert.Equal(40, root.SecretAccessKey.Length);
        Assert.Matches(AccountIdShape(), root.Identity.AccountId);
        Assert.Matches(CanonicalIdShape(), root.Identity.CanonicalUserId);
        Assert.True(root.Identity.IsRoot);
        Assert.Equal($"arn:aws:iam::{root.Identity.AccountId}:root", root.Identity.Arn);
        Assert.True(File.Exists(Path.Combine(_dir.Path, "meta", "iam.db")));

        var second = CredentialStore.Open(_dir.Path, NoEnvironment);

        Assert.Equal(RootKeySource.Stored, second.Root.Source);
        Assert.False(second.Root.ShouldReportKeys);
        Assert.Equal(root, second.Root.Root);
    }

    [Fact]
    public async Task Uses_root_keys_from_the_environment_and_they_replace_generated_ones()
    {
        var generated = CredentialStore.Open(_dir.Path, NoEnvironment).Root.Root;
        var env = new Dictionary<string, string?>
        {
            [CredentialStore.RootAccessKeyVariable] = "AKIAIOSFODNN7EXAMPLE",
            [CredentialStore.RootSecretKeyVariable] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        };

        var store = CredentialStore.Open(_dir.Path, name => env.GetValueOrDefault(name));

        Assert.Equal(RootKeySource.Environment, store.Root.Source);
        Assert.False(store.Root.ShouldReportKeys);
        Assert.Equal("AKIAIOSFODNN7EXAMPLE", store.Root.Root.AccessKeyId);
        Assert.Equal("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", store.Root.Root.SecretAccessKey);
        Assert.Equal(generated.Identity.AccountId, store.Root.Root.Identity.AccountId);
        Assert.Equal(generated.Identity.CanonicalUserId, store.Root.Root.Identity.CanonicalUserId);
        Assert.Null(await store.FindByAccessKeyAsync(generated.AccessKeyId, CancellationToken.None));
        Assert.Equal(store.Root.Root, await store.FindByAccessKeyAsync("AKIAIOSFODNN7EXAMPLE", CancellationToken.None));

        var reopened = CredentialStore.Open(_dir.Path, name => env.GetValueOrDefault(name));
        Assert.Equal(RootKeySource.Environment, reopened.Root.Source);
        Assert.Equal(store.Root.Root, reopened.Root.Root);
    }

    [Fact]
    public void Rejects_only_one_of_the_two_root_variables()
    {
        var env = new Dictionary<string, string?> { [CredentialStore.RootAccessKeyVariable] = "AKIAIOSFODNN7EXAMPLE" };

        var error = Assert.Throws<InvalidOperationException>(() => CredentialStore.Open(_dir.Path, name => env.GetValueOrDefault(name)));

        Assert.Contains(CredentialStore.RootSecretKeyVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creates_an_iam_user_in_the_root_account()
    {
        var store = CredentialStore.Open(_dir.Path, NoEnvironment);

        var alice = await store.CreateUserAsync("alice", identityPolicyJson: """{"Version":"2012-10-17","Statement":[]}""");

        Assert.False(alice.Identity.IsRoot);
        Assert.Equal(store.RootAccountId, alice.Identity.AccountId);
        Assert.Equal(store.Root.Root.Identity.CanonicalUserId, alice.Identity.CanonicalUserId);
        Assert.Equal($"arn:aws:iam::{store.RootAccountId}:user/alice", alice.Identity.Arn);
        Assert.Equal(alice.Identity.Arn, alice.Identity.Requester);
        Assert.Matches(AccessKeyShape(), alice.AccessKeyId);
        Assert.NotEqual(store.Root.Root.AccessKeyId, alice.AccessKeyId);
        Assert.Equal(alice, await store.FindByAccessKeyAsync(alice.AccessKeyId, CancellationToken.None));
        Assert.DoesNotContain(alice.SecretAccessKey, alice.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creates_a_new_account_whose_root_the_user_is()
    {
        var store = CredentialStore.Open(_dir.Path, NoEnvironment);

        var bob = await store.CreateUserAsync("bob", newAccount: true);

        Assert.True(bob.Identity.IsRoot);
        Assert.NotEqual(store.RootAccountId, bob.Identity.AccountId);
        Assert.NotEqual(store.Root.Root.Identity.CanonicalUserId, bob.Identity.CanonicalUserId);
        Assert.Matches(AccountIdShape(), bob.Identity.AccountId);
        Assert.Matches(CanonicalIdShape(), bob.Identity.CanonicalUserId);
        Assert.Equal($"arn:aws:iam::{bob.Identity.AccountId}:root", bob.Identity.Arn);
        Assert.Equal(bob.Identity.CanonicalUserId, bob.Identity.Requester);
    }

    [Fact]
    public async Task Rejects_a_duplicate_or_invalid_user_name_and_a_policy_that_is_not_json()
    {
        var store = CredentialStore.Open(_dir.Path, NoEnvironment);
        await store.CreateUserAsync("alice");

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateUserAsync("alice"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateUserAsync("no spaces"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateUserAsync(new string('a', 65)));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateUserAsync("carol", identityPolicyJson: "{not json"));
    }

    [Fact]
    public async Task Finds_a_user_created_by_another_store_instance_after_a_cache_miss()
    {
        var server = CredentialStore.Open(_dir.Path, NoEnvironment);
        Assert.Null(await server.FindByAccessKeyAsync("AKIAAAAAAAAAAAAAAAAA", CancellationToken.None));

        var cli = CredentialStore.Open(_dir.Path, NoEnvironment);
        var dave = await cli.CreateUserAsync("dave", identityPolicyJson: """{"Statement":[]}""");

        var found = await server.FindByAccessKeyAsync(dave.AccessKeyId, CancellationToken.None);
        Assert.Equal(dave, found);
        Assert.Equal("""{"Statement":[]}""", found!.IdentityPolicyJson);
        Assert.Equal(2, (await server.ListUsersAsync()).Count);
    }

    [Fact]
    public async Task Unknown_access_key_is_not_found()
    {
        var store = CredentialStore.Open(_dir.Path, NoEnvironment);

        Assert.Null(await store.FindByAccessKeyAsync("AKIANOTAREALKEY00000", CancellationToken.None));
    }
}
