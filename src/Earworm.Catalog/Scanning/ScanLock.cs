namespace Earworm.Catalog.Scanning;

/// <summary>One scan per catalog at a time: an exclusive lock file beside the catalog, released by the
/// operating system even when the process is killed.</summary>
internal sealed class ScanLock : IDisposable
{
    private readonly FileStream? _file;

    private ScanLock(FileStream? file) => _file = file;

    public static ScanLock Acquire(string? catalogPath)
    {
        if (catalogPath is null) return new ScanLock(null);
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

    public void Dispose() => _file?.Dispose();
}
