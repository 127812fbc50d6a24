using Earworm.Catalog;
using Earworm.Catalog.Scanning;

namespace Earworm.App;

/// <summary>
/// Where one catalog lives and what lies beside it: the database, the model folder (<c>catalog.models/</c>) and the
/// excerpt cache (<c>catalog.cache/</c>). Every service is built on one; it opens a connection per unit of work (a
/// SQLite connection is not shared between threads).
/// </summary>
public sealed record CatalogLocation
{
    public CatalogLocation(string catalogPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(catalogPath);
        CatalogPath = Path.GetFullPath(catalogPath);
    }

    /// <summary>The catalog file (SQLite), absolute.</summary>
    public string CatalogPath { get; }

    /// <summary>The model files: <c>catalog.db</c> → <c>catalog.models/</c>.</summary>
    public string ModelFolder => CatalogStore.ModelFolderFor(CatalogPath);

    /// <summary>The excerpt cache beside the catalog.</summary>
    public ExcerptStore Excerpts => new(ExcerptStore.DefaultFor(CatalogPath));

    public bool Exists => File.Exists(CatalogPath);

    /// <summary>Opens the catalog, creating it when it does not exist (scan, import, demo).</summary>
    public ICatalog Open() => CatalogStore.Open(CatalogPath);

    /// <summary>Opens an existing catalog; a missing one is a usage error that says how to make it.</summary>
    /// <exception cref="UsageException">there is no catalog at <see cref="CatalogPath"/>.</exception>
    public ICatalog OpenExisting() => Exists
        ? CatalogStore.Open(CatalogPath)
        : throw new UsageException($"no catalog at {CatalogPath}: run `earworm scan DIR` (or `earworm demo`) first, or pass --db");
}
