using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tally.Core.Identity;

namespace Tally.Security.Credentials;

/// <summary>
/// Accounts and users in SQLite at <c>&lt;dataDir&gt;/meta/iam.db</c>. Lookups by access key are
/// served from memory; a miss goes to the database, so a user that another process (the CLI while
/// the server runs) created is found without a restart. Thread-safe.
/// </summary>
public sealed class CredentialStore : ICredentialStore
{
    public const string RootAccessKeyVariable = "TALLY_ROOT_ACCESS_KEY";
    public const string RootSecretKeyVariable = "TALLY_ROOT_SECRET_KEY";
    private static readonly string RootUserName = "root";

    private static readonly string Schema = """
        CREATE TABLE IF NOT EXISTS settings (
            name  TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS accounts (
            account_id        TEXT PRIMARY KEY,
            canonical_user_id TEXT NOT NULL UNIQUE,
            name              TEXT NOT NULL,
            created_at        TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS users (
            access_key_id     TEXT PRIMARY KEY,
            secret_access_key TEXT NOT NULL,
            account_id        TEXT NOT NULL REFERENCES accounts(account_id),
            user_name         TEXT NOT NULL,
            is_root           INTEGER NOT NULL,
            identity_policy   TEXT,
            created_at        TEXT NOT NULL,
            UNIQUE (account_id, user_name)
        );
        """;

    private static readonly string SelectUser = """
        SELECT u.access_key_id, u.secret_access_key, u.account_id, a.canonical_user_id, u.user_name, u.is_root, u.identity_policy
        FROM users u JOIN accounts a ON a.account_id = u.account_id
        """;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, UserCredential> _byAccessKey = new(StringComparer.Ordinal);

    private CredentialStore(string databasePath, string connectionString, TimeProvider time)
    {
        DatabasePath = databasePath;
        _connectionString = connectionString;
        _time = time;
        Root = null!;
    }

    public string DatabasePath { get; }

    /// <summary>The primary account's root user and where its keys came from.</summary>
    public RootBootstrap Root { get; private set; }

    /// <summary>The primary account (the root user's).</summary>
    public string RootAccountId => Root.Root.Identity.AccountId;

    /// <summary>
    /// Opens (creating if needed) the store and makes sure the root user exists. Root keys come from
    /// <see cref="RootAccessKeyVariable"/>/<see cref="RootSecretKeyVariable"/> when both are set,
    /// else from the database, else they are generated and saved. <c>environment</c> reads a variable
    /// (default: the process environment), so tests need not touch process-wide state.
    /// </summary>
    public static CredentialStore Open(string dataDir, Func<string, string?>? environment = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        environment ??= Environment.GetEnvironmentVariable;
        var metaDir = Path.Combine(dataDir, "meta");
        Directory.CreateDirectory(metaDir);
        var path = Path.Combine(metaDir, "iam.db");
        var isNew = !File.Exists(path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        var store = new CredentialStore(path, connectionString, time ?? TimeProvider.System);
        using (var connection = store.OpenConnection())
        {
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, Schema);
        }

        // Secrets are stored in clear (they are needed to verify signatures): keep the file private.
        if (isNew && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        store.Root = store.BootstrapRoot(environment(RootAccessKeyVariable), environment(RootSecretKeyVariable));
        store._byAccessKey[store.Root.Root.AccessKeyId] = store.Root.Root;
        return store;
    }

    public async ValueTask<UserCredential?> FindByAccessKeyAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        if (_byAccessKey.TryGetValue(accessKeyId, out var cached))
        {
            return cached;
        }

        // A miss is not cached: the key may be created by another process a moment later.
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = SelectUser + " WHERE u.access_key_id = $key";
        command.Parameters.AddWithValue("$key", accessKeyId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var found = ReadUser(reader);
        return _byAccessKey.GetOrAdd(found.AccessKeyId, found);
    }

    /// <summary>
    /// Adds a user with new keys. With <paramref name="newAccount"/> false it is an IAM-style user of
    /// the primary account (<c>arn:aws:iam::ACCOUNT:user/NAME</c>); with true a new account is made and
    /// the user is its root (<c>arn:aws:iam::ACCOUNT:root</c>, requester = the account's canonical id).
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid IAM user name or the policy is not JSON.</exception>
    /// <exception cref="InvalidOperationException">The primary account already has a user of that name.</exception>
    public async Task<UserCredential> CreateUserAsync(string name, bool newAccount = false, string? identityPolicyJson = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!AccessKeys.IsValidUserName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid user name: use 1-64 letters, digits or +=,.@_-", nameof(name));
        }

        if (identityPolicyJson is not null)
        {
            EnsureJsonObject(identityPolicyJson);
        }

        await using var connection = OpenConnection();
        await using var transaction = connection.BeginTransaction();
        string accountId;
        string canonicalUserId;
        if (newAccount)
        {
            accountId = AccessKeys.NewAccountId();
            canonicalUserId = AccessKeys.NewCanonicalUserId();
            InsertAccount(connection, transaction, accountId, canonicalUserId, name);
        }
        else
        {
            accountId = RootAccountId;
            canonicalUserId = Root.Root.Identity.CanonicalUserId;
            if (UserExists(connection, transaction, accountId, name))
            {
                throw new InvalidOperationException($"User '{name}' already exists in account {accountId}.");
            }
        }

        var identity = new S3Identity(accountId, canonicalUserId, name, AccessKeys.NewAccessKeyId(), IsRoot: newAccount);
        var credential = new UserCredential(identity, AccessKeys.NewSecretAccessKey(), identityPolicyJson);
        InsertUser(connection, transaction, credential);
        await transaction.CommitAsync(cancellationToken);
        _byAccessKey[credential.AccessKeyId] = credential;
        return credential;
    }

    /// <summary>Every user of every account, ordered by account then name.</summary>
    public async Task<IReadOnlyList<UserCredential>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = SelectUser + " ORDER BY u.account_id, u.user_name";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<UserCredential>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(ReadUser(reader));
        }

        return users;
    }

    private RootBootstrap BootstrapRoot(string? envAccessKey, string? envSecret)
    {
        var fromEnvironment = !string.IsNullOrEmpty(envAccessKey) || !string.IsNullOrEmpty(envSecret);
        if (fromEnvironment)
        {
            if (string.IsNullOrEmpty(envAccessKey) || string.IsNullOrEmpty(envSecret))
            {
                throw new InvalidOperationException($"Set both {RootAccessKeyVariable} and {RootSecretKeyVariable}, or neither.");
            }

            if (!AccessKeys.IsValidAccessKeyId(envAccessKey) || !AccessKeys.IsValidSecretAccessKey(envSecret))
            {
                throw new InvalidOperationException(
                    $"{RootAccessKeyVariable} must be 16-128 letters or digits and {RootSecretKeyVariable} 16-128 characters without spaces.");
            }
        }

        using var connection = OpenConnection();

        // IMMEDIATE (the default here) so two processes starting at once cannot both create a root.
        using var transaction = connection.BeginTransaction();
        var accountId = ReadSetting(connection, transaction, "root_account_id");
        if (accountId is null)
        {
            accountId = AccessKeys.NewAccountId();
            InsertAccount(connection, transaction, accountId, AccessKeys.NewCanonicalUserId(), RootUserName);
            WriteSetting(connection, transaction, "root_account_id", accountId);
        }

        var existing = FindRoot(connection, transaction, accountId);
        RootBootstrap result;
        if (fromEnvironment)
        {
            if (existing is not null && existing.AccessKeyId == envAccessKey && existing.SecretAccessKey == envSecret)
            {
                result = new RootBootstrap(existing, RootKeySource.Environment);
            }
            else
            {
                if (existing is not null)
                {
                    DeleteUser(connection, transaction, existing.AccessKeyId);
                }

                var canonical = ReadCanonicalUserId(connection, transaction, accountId);
                var root = new UserCredential(new S3Identity(accountId, canonical, RootUserName, envAccessKey!, IsRoot: true), envSecret!);
                try
                {
                    InsertUser(connection, transaction, root);
                }
                catch (SqliteException e) when (e.SqliteErrorCode == 19)
                {
                    throw new InvalidOperationException($"{RootAccessKeyVariable} is already the access key of another user.", e);
                }

                result = new RootBootstrap(root, RootKeySource.Environment);
            }
        }
        else if (existing is not null)
        {
            result = new RootBootstrap(existing, RootKeySource.Stored);
        }
        else
        {
            var canonical = ReadCanonicalUserId(connection, transaction, accountId);
            var root = new UserCredential(
                new S3Identity(accountId, canonical, RootUserName, AccessKeys.NewAccessKeyId(), IsRoot: true),
                AccessKeys.NewSecretAccessKey());
            InsertUser(connection, transaction, root);
            result = new RootBootstrap(root, RootKeySource.Generated);
        }

        transaction.Commit();
        return result;
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (parameterName, value) in parameters)
        {
            command.Parameters.AddWithValue(parameterName, value ?? DBNull.Value);
        }

        return command;
    }

    private static string? ReadSetting(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        using var command = Command(connection, transaction, "SELECT value FROM settings WHERE name = $name", ("$name", name));
        return command.ExecuteScalar() as string;
    }

    private static void WriteSetting(SqliteConnection connection, SqliteTransaction transaction, string name, string value)
    {
        using var command = Command(connection, transaction, "INSERT INTO settings (name, value) VALUES ($name, $value)", ("$name", name), ("$value", value));
        command.ExecuteNonQuery();
    }

    private static string ReadCanonicalUserId(SqliteConnection connection, SqliteTransaction transaction, string accountId)
    {
        using var command = Command(connection, transaction, "SELECT canonical_user_id FROM accounts WHERE account_id = $id", ("$id", accountId));
        return command.ExecuteScalar() as string ?? throw new InvalidOperationException($"Account {accountId} is missing from the credential store.");
    }

    private void InsertAccount(SqliteConnection connection, SqliteTransaction transaction, string accountId, string canonicalUserId, string name)
    {
        using var command = Command(
            connection,
            transaction,
            "INSERT INTO accounts (account_id, canonical_user_id, name, created_at) VALUES ($id, $canonical, $name, $at)",
            ("$id", accountId),
            ("$canonical", canonicalUserId),
            ("$name", name),
            ("$at", Now()));
        command.ExecuteNonQuery();
    }

    private void InsertUser(SqliteConnection connection, SqliteTransaction transaction, UserCredential user)
    {
        using var command = Command(
            connection,
            transaction,
            """
            INSERT INTO users (access_key_id, secret_access_key, account_id, user_name, is_root, identity_policy, created_at)
            VALUES ($key, $secret, $account, $name, $root, $policy, $at)
            """,
            ("$key", user.AccessKeyId),
            ("$secret", user.SecretAccessKey),
            ("$account", user.Identity.AccountId),
            ("$name", user.Identity.UserName),
            ("$root", user.Identity.IsRoot ? 1 : 0),
            ("$policy", user.IdentityPolicyJson),
            ("$at", Now()));
        command.ExecuteNonQuery();
    }

    private void DeleteUser(SqliteConnection connection, SqliteTransaction transaction, string accessKeyId)
    {
        using var command = Command(connection, transaction, "DELETE FROM users WHERE access_key_id = $key", ("$key", accessKeyId));
        command.ExecuteNonQuery();
        _byAccessKey.TryRemove(accessKeyId, out _);
    }

    private static bool UserExists(SqliteConnection connection, SqliteTransaction transaction, string accountId, string name)
    {
        using var command = Command(
            connection, transaction, "SELECT 1 FROM users WHERE account_id = $account AND user_name = $name", ("$account", accountId), ("$name", name));
        return command.ExecuteScalar() is not null;
    }

    private static UserCredential? FindRoot(SqliteConnection connection, SqliteTransaction transaction, string accountId)
    {
        using var command = Command(connection, transaction, SelectUser + " WHERE u.account_id = $account AND u.is_root = 1", ("$account", accountId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadUser(reader) : null;
    }

    private static UserCredential ReadUser(SqliteDataReader reader) =>
        new(
            new S3Identity(
                AccountId: reader.GetString(2),
                CanonicalUserId: reader.GetString(3),
                UserName: reader.GetString(4),
                AccessKeyId: reader.GetString(0),
                IsRoot: reader.GetInt64(5) != 0),
            reader.GetString(1),
            reader.IsDBNull(6) ? null : reader.GetString(6));

    private static void EnsureJsonObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("An identity policy must be a JSON object.", nameof(json));
            }
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The identity policy is not valid JSON: {e.Message}", nameof(json), e);
        }
    }

    private string Now() => _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
}
