using Tally.Security.Credentials;

namespace Tally.Security.Tests;

/// <summary>A real credential store whose root has the keys of the AWS documentation examples.</summary>
public sealed class ExampleCredentials : IDisposable
{
    public const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private readonly TempDirectory _dir = new();

    public ExampleCredentials()
    {
        var env = new Dictionary<string, string?>
        {
            [CredentialStore.RootAccessKeyVariable] = AccessKey,
            [CredentialStore.RootSecretKeyVariable] = SecretKey,
        };
        Store = CredentialStore.Open(_dir.Path, name => env.GetValueOrDefault(name));
    }

    public CredentialStore Store { get; }

    public void Dispose() => _dir.Dispose();
}
