namespace Earworm.Catalog;

/// <summary>A listener who can sign in from an app: their password sealed (never in clear; see the application layer's
/// vault) and how many API keys they hold.</summary>
public sealed record AccountRecord(long UserId, string Name, byte[] SealedPassword, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int ApiKeys);

/// <summary>An API key as stored: its SHA-256 only (the key itself is shown once, when it is made).</summary>
public sealed record ApiKeyRecord(long Id, string User, string KeySha256, string Label, DateTimeOffset CreatedAt);

/// <summary>Accounts: the listeners who sign in (OpenSubsonic apps), with their sealed passwords and API keys. An
/// account belongs to a listener (<see cref="IListeningRepository.ListUsers"/>); removing it keeps their listening.</summary>
public interface IAccountRepository
{
    /// <summary>Creates the account (and the listener when new) or replaces its password.</summary>
    AccountRecord SaveAccount(string user, byte[] sealedPassword);

    AccountRecord? FindAccount(string user);

    /// <summary>Every account, by name.</summary>
    IReadOnlyList<AccountRecord> ListAccounts();

    /// <summary>Removes the account and its API keys (the listener's listening data stays); false when there was none.</summary>
    bool RemoveAccount(string user);

    /// <summary>Records a new API key of an account by its SHA-256.</summary>
    /// <exception cref="CatalogException">there is no account called <paramref name="user"/>.</exception>
    ApiKeyRecord AddApiKey(string user, string keySha256, string label);

    /// <summary>API keys, of one account or of all, oldest first.</summary>
    IReadOnlyList<ApiKeyRecord> ListApiKeys(string? user = null);

    /// <summary>Revokes a key; false when there was none with this id.</summary>
    bool RevokeApiKey(long id);
}
