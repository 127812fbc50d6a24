using System.Security.Cryptography;
using System.Text;

namespace Earworm.App.Accounts;

/// <summary>
/// Seals passwords with AES-256-GCM under a key kept beside the catalog (<c>catalog.db</c> → <c>catalog.key</c>, mode
/// 0600, made on first use). Token authentication (OpenSubsonic: md5(password + salt)) needs each password back, so a
/// one-way hash cannot serve; the catalog alone (a copied file, a backup) does not reveal them. A sealed password is
/// version (1) ‖ nonce (12) ‖ ciphertext ‖ tag (16), the user's name bound as associated data so a sealed password
/// moved to another account does not open.
/// </summary>
public sealed class PasswordVault
{
    private const byte Version = 1;
    private const int NonceBytes = 12, TagBytes = 16, KeyBytes = 32;
    private readonly byte[] _key;

    private PasswordVault(byte[] key) => _key = key;

    /// <summary>The key file of a catalog.</summary>
    public static string KeyFileFor(string catalogPath) => Path.ChangeExtension(Path.GetFullPath(catalogPath), ".key");

    /// <summary>Opens the key file, making it (mode 0600) when <paramref name="create"/> and it does not exist.</summary>
    /// <exception cref="UsageException">the file is missing (and not to be made), unreadable to others only in name, or not a key.</exception>
    public static PasswordVault Open(string keyFile, bool create)
    {
        if (!File.Exists(keyFile))
        {
            if (!create) throw new UsageException($"no password key at {keyFile}: add a user with `earworm user add NAME --password P`");
            var key = RandomNumberGenerator.GetBytes(KeyBytes);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var f = new FileStream(keyFile, options)) f.Write(key);
            return new PasswordVault(key);
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyFile) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite |
                UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            throw new UsageException($"the password key {keyFile} can be read by others: `chmod 600 {keyFile}`");
        var bytes = File.ReadAllBytes(keyFile);
        if (bytes.Length != KeyBytes) throw new UsageException($"{keyFile} is not an Earworm password key ({bytes.Length} bytes, not {KeyBytes})");
        return new PasswordVault(bytes);
    }

    public byte[] Seal(string user, string password)
    {
        var plain = Encoding.UTF8.GetBytes(password);
        var sealedBytes = new byte[1 + NonceBytes + plain.Length + TagBytes];
        sealedBytes[0] = Version;
        var nonce = sealedBytes.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(_key, TagBytes);
        gcm.Encrypt(nonce, plain, sealedBytes.AsSpan(1 + NonceBytes, plain.Length), sealedBytes.AsSpan(1 + NonceBytes + plain.Length), Encoding.UTF8.GetBytes(user));
        return sealedBytes;
    }

    /// <exception cref="UsageException">the sealed password was not made with this key for this user.</exception>
    public string Open(string user, byte[] sealedPassword)
    {
        ArgumentNullException.ThrowIfNull(sealedPassword);
        if (sealedPassword.Length < 1 + NonceBytes + TagBytes || sealedPassword[0] != Version)
            throw new UsageException($"{user}'s password is not sealed in a form this Earworm reads: set it again with `earworm user add {user} --password P`");
        int n = sealedPassword.Length - 1 - NonceBytes - TagBytes;
        var plain = new byte[n];
        try
        {
            using var gcm = new AesGcm(_key, TagBytes);
            gcm.Decrypt(sealedPassword.AsSpan(1, NonceBytes), sealedPassword.AsSpan(1 + NonceBytes, n), sealedPassword.AsSpan(1 + NonceBytes + n),
                plain, Encoding.UTF8.GetBytes(user));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new UsageException($"{user}'s password was sealed with another key (the key file beside the catalog changed): set it again");
        }
        return Encoding.UTF8.GetString(plain);
    }
}
