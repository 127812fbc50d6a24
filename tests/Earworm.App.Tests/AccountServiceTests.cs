using Earworm.App.Accounts;
using Earworm.App.Library;
using Earworm.Testing;

namespace Earworm.App.Tests;

/// <summary>Accounts: passwords sealed under a key file of mode 0600 (never in clear in the catalog), bound to their
/// user; API keys shown once and kept hashed; the directory the server checks follows the catalog.</summary>
public sealed class AccountServiceTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CatalogLocation _location;
    private readonly AccountService _accounts;

    public AccountServiceTests()
    {
        _location = new CatalogLocation(_dir.File("catalog.db"));
        _location.Open().Dispose();
        _accounts = new AccountService(new LibraryCache(_location));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void PasswordsAreSealedUnderAPrivateKeyAndNeverStoredInClear()
    {
        _accounts.Add("alice", "correct horse battery");
        var keyFile = PasswordVault.KeyFileFor(_location.CatalogPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        var sealedPassword = _location.Open().FindAccount("alice")!.SealedPassword;
        Assert.DoesNotContain("correct horse", System.Text.Encoding.UTF8.GetString(sealedPassword), StringComparison.Ordinal);
        Assert.True(File.ReadAllBytes(_location.CatalogPath).AsSpan().IndexOf("correct horse"u8) < 0, "the password is in the catalog file");
        var vault = PasswordVault.Open(keyFile, create: false);
        Assert.Equal("correct horse battery", vault.Open("alice", sealedPassword));
        Assert.Throws<UsageException>(() => vault.Open("mallory", sealedPassword)); // bound to its user
        Assert.Equal("correct horse battery", _accounts.Directory().PasswordOf("alice"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void AKeyFileOthersCanReadIsRefused()
    {
        _accounts.Add("alice", "pw");
        var keyFile = PasswordVault.KeyFileFor(_location.CatalogPath);
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Contains("chmod 600", Assert.Throws<UsageException>(() => PasswordVault.Open(keyFile, create: false)).Message);
    }

    [Fact]
    public void KeysAreShownOnceKeptHashedAndRevoked()
    {
        _accounts.Add("alice", "pw");
        var made = _accounts.NewKey("alice", "phone");
        Assert.Equal(43, made.Key.Length); // 256 random bits, base64url
        Assert.NotEqual(made.Key, made.Record.KeySha256);
        Assert.Equal("alice", _accounts.Directory().OwnerOfKey(made.Key));
        Assert.Null(_accounts.Directory().OwnerOfKey(made.Key + "x"));
        _accounts.Revoke(made.Record.Id);
        Assert.Empty(_accounts.Keys("alice"));
        Assert.Throws<UsageException>(() => _accounts.Revoke(made.Record.Id));
        Assert.Throws<UsageException>(() => _accounts.NewKey("nobody"));
        Assert.Contains("no account called 'nobody'", Assert.Throws<UsageException>(() => _accounts.Keys("nobody")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "pw")]
    [InlineData("a\nb", "pw")]
    [InlineData("alice", "")]
    public void BadNamesAndPasswordsAreRefused(string user, string password) =>
        Assert.Throws<UsageException>(() => _accounts.Add(user, password));

    [Fact]
    public void RemovingAnAccountKeepsTheListener()
    {
        _accounts.Add("alice", "pw");
        _accounts.Remove("alice");
        Assert.Empty(_accounts.List());
        Assert.True(_location.Open().UserExists("alice"));
        Assert.Throws<UsageException>(() => _accounts.Remove("alice"));
    }
}
