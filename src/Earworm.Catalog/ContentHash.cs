using System.Security.Cryptography;

namespace Earworm.Catalog;

/// <summary>A file's content identity: the SHA-256 of its bytes, lower-case hex. A scan stores it for every track (and
/// keys the excerpt cache by it); the same bytes anywhere else, a copy or a file sent to the web page, are the same
/// track.</summary>
public static class ContentHash
{
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (s.ConfigureAwait(false))
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(s, cancellationToken).ConfigureAwait(false));
    }

    public static string OfFile(string path)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}
