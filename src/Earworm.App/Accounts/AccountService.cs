using System.Security.Cryptography;
using System.Text;
using Earworm.App.Library;
using Earworm.Catalog;

namespace Earworm.App.Accounts;

/// <summary>A new API key: shown once (only its SHA-256 is kept).</summary>
public sealed record NewApiKey(ApiKeyRecord Record, string Key);

/// <summary>Who may sign in, as the server checks it: passwords in clear (in memory only) and API keys by hash.</summary>
public sealed class AccountDirectory(IReadOnlyDictionary<string, string> passwords, IReadOnlyDictionary<string, string> keyOwners)
{
    public static readonly AccountDirectory Empty = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    /// <summary>The password of an account; null when there is no such account.</summary>
    public string? PasswordOf(string user) => passwords.GetValueOrDefault(user);

    /// <summary>The account an API key belongs to; null for an unknown or revoked key.</summary>
    public string? OwnerOfKey(string key) => keyOwners.GetValueOrDefault(AccountService.HashKey(key));

    public int Count => passwords.Count;
}

/// <summary>
/// The accounts of listeners who sign in from apps: add (or change a password), remove, API keys made, listed and
/// revoked. Passwords are sealed (<see cref="PasswordVault"/>); keys are 256 random bits shown once and kept as their
/// SHA-256 (a key is as strong as a random password, so a slow hash adds nothing). The server reads
/// <see cref="Directory"/>, which follows the catalog: a user added or removed from the CLI counts within a second.
/// </summary>
public sealed class AccountService(LibraryCache library)
{
    public const int MaxPasswordLength = 256;

    private string KeyFile => PasswordVault.KeyFileFor(library.CatalogPath);

    /// <summary>Adds an account, or sets the password of an existing one.</summary>
    /// <exception cref="UsageException">a bad name or password.</exception>
    public AccountRecord Add(string user, string password)
    {
        user = ValidName(user);
        if (string.IsNullOrEmpty(password)) throw new UsageException("the password is empty");
        if (password.Length > MaxPasswordLength) throw new UsageException($"passwords are at most {MaxPasswordLength} characters");
        var vault = PasswordVault.Open(KeyFile, create: true);
        return library.WithCatalog(c => c.SaveAccount(user, vault.Seal(user, password)));
    }

    public IReadOnlyList<AccountRecord> List() => library.WithCatalog(c => c.ListAccounts());

    /// <exception cref="UsageException">there is no such account.</exception>
    public void Remove(string user)
    {
        if (!library.WithCatalog(c => c.RemoveAccount(user))) throw new UsageException($"no account called '{user}' (`earworm user list`)");
    }

    /// <summary>A new API key for an account (OpenSubsonic's apiKeyAuthentication).</summary>
    /// <exception cref="UsageException">there is no such account.</exception>
    public NewApiKey NewKey(string user, string? label = null)
    {
        var key = Base64Url(RandomNumberGenerator.GetBytes(32));
        return library.WithCatalog(c =>
        {
            if (c.FindAccount(user) is null) throw new UsageException($"no account called '{user}' (`earworm user add {user} --password P` first)");
            return new NewApiKey(c.AddApiKey(user, HashKey(key), label ?? ""), key);
        });
    }

    /// <summary>Every API key, or one account's.</summary>
    /// <exception cref="UsageException">no account called <paramref name="user"/>.</exception>
    public IReadOnlyList<ApiKeyRecord> Keys(string? user = null) => library.WithCatalog(c =>
        user is not null && c.FindAccount(user) is null
            ? throw new UsageException($"no account called '{user}' (`earworm user list`)")
            : c.ListApiKeys(user));

    /// <exception cref="UsageException">there is no key with this id.</exception>
    public void Revoke(long keyId)
    {
        if (!library.WithCatalog(c => c.RevokeApiKey(keyId))) throw new UsageException($"no API key {keyId} (`earworm user keys` lists them)");
    }

    /// <summary>The accounts as of the library's current view (read again when the catalog changes).</summary>
    public AccountDirectory Directory() => library.Current.Memo("accounts", () => library.WithCatalog(c =>
    {
        var accounts = c.ListAccounts();
        if (accounts.Count == 0) return AccountDirectory.Empty;
        var vault = PasswordVault.Open(KeyFile, create: false);
        var passwords = accounts.ToDictionary(a => a.Name, a => vault.Open(a.Name, a.SealedPassword), StringComparer.Ordinal);
        var keys = c.ListApiKeys().ToDictionary(k => k.KeySha256, k => k.User, StringComparer.Ordinal);
        return new AccountDirectory(passwords, keys);
    }));

    internal static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string ValidName(string user)
    {
        user = (user ?? "").Trim();
        if (user.Length == 0) throw new UsageException("say the user's name");
        if (user.Length > Feedback.FeedbackService.MaxUserLength) throw new UsageException($"user names are at most {Feedback.FeedbackService.MaxUserLength} characters");
        if (user.Any(char.IsControl)) throw new UsageException("user names cannot hold control characters");
        return user;
    }
}
