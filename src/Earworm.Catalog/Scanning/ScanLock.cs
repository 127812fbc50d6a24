namespace Earworm.Catalog.Scanning;

/// <summary>One scan per catalog at a time: for a SQLite catalog an exclusive lock file beside it, for a PostgreSQL
/// one an advisory lock on the server (so scans from two machines exclude each other too); either is released when the
/// process dies (the operating system closes the file, the server ends the session).</summary>
internal sealed class ScanLock : IDisposable
{
    private readonly IDisposable? _held;

    private ScanLock(IDisposable? held) => _held = held;

    public static ScanLock Acquire(ICatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog is PostgresCatalog server)
            return new ScanLock(server.TryLockScan() ?? throw new UsageException(
                $"another scan is running on {server.Address}; wait for it or stop it (it resumes later)"));
        if (catalog.FilePath is not { } catalogPath) return new ScanLock(null);
        var path = catalogPath + ".scan-lock";
        try
        {
            return new ScanLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            throw new UsageException($"another scan is running on {catalogPath}; wait for it or stop it (it resumes later)");
        }
    }

    public void Dispose() => _held?.Dispose();
}
