using Earworm.Catalog;
using Earworm.Catalog.Scanning;

namespace Earworm.App;

/// <summary>
/// Where one catalog lives and what lies beside it: the database — a SQLite file, or a PostgreSQL server named
/// <c>postgresql://USER@HOST:PORT/DB</c> — and, on this machine, the model folder (<c>catalog.models/</c>) and the
/// excerpt cache (<c>catalog.cache/</c>): beside the SQLite file, or for a server under
/// <see cref="DefaultHome"/><c>/postgresql/HOST-PORT-DB/</c>. Every service is built on one; it opens a connection per
/// unit of work (a connection is not shared between threads).
/// </summary>
public sealed record CatalogLocation
{
    /// <param name="database">a SQLite file's path, or a PostgreSQL address (<see cref="PostgresAddress"/>).</param>
    /// <param name="home">the folder a server's local files go under (default <see cref="DefaultHome"/>).</param>
    /// <exception cref="CatalogException">a PostgreSQL address that is not well formed.</exception>
    public CatalogLocation(string database, string? home = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        if (PostgresAddress.IsPostgres(database))
        {
            Server = PostgresAddress.Parse(database);
            CatalogPath = Path.Combine(Path.GetFullPath(home ?? DefaultHome), "postgresql", $"{Server.Host}-{Server.Port}-{Server.Database}", "catalog");
        }
        else
        {
            CatalogPath = Path.GetFullPath(database);
        }
    }

    /// <summary>The PostgreSQL server that holds the catalog; null for a SQLite file.</summary>
    public PostgresAddress? Server { get; }

    /// <summary>The catalog file (SQLite), absolute; for a server, the same name in its local folder, which the model
    /// folder, the excerpt cache and the scan's and training's side files are named after (no database file is there).</summary>
    public string CatalogPath { get; }

    /// <summary>The catalog as people name it: the SQLite file, or the server's address (never its password).</summary>
    public string Name => Server?.ToString() ?? CatalogPath;

    /// <summary>The model files: <c>catalog.db</c> → <c>catalog.models/</c>.</summary>
    public string ModelFolder => CatalogStore.ModelFolderFor(CatalogPath);

    /// <summary>The excerpt cache beside the catalog.</summary>
    public ExcerptStore Excerpts => new(ExcerptStore.DefaultFor(CatalogPath));

    /// <summary>Whether the catalog is there: the SQLite file exists; a server's catalog is made when first opened.</summary>
    public bool Exists => Server is not null || File.Exists(CatalogPath);

    /// <summary>Opens the catalog, creating it when it does not exist (scan, import, demo).</summary>
    public ICatalog Open()
    {
        if (Server is null) return CatalogStore.Open(CatalogPath);
        Directory.CreateDirectory(Path.GetDirectoryName(CatalogPath)!);
        return PostgresCatalog.Open(Server);
    }

    /// <summary>Opens an existing catalog; a missing one is a usage error that says how to make it.</summary>
    /// <exception cref="UsageException">there is no catalog at <see cref="CatalogPath"/>.</exception>
    public ICatalog OpenExisting() => Exists
        ? Open()
        : throw new UsageException($"no catalog at {CatalogPath}: run `earworm scan DIR` (or `earworm demo`) first, or pass --db");

    /// <summary>Something that changes whenever anything is written to the catalog (listening data too): the SQLite
    /// file's and its write-ahead log's sizes and times, or the server's write-ahead log position.</summary>
    public string ChangeStamp()
    {
        if (Server is not null)
        {
            using var catalog = PostgresCatalog.Open(Server);
            return catalog.WriteStamp();
        }
        var db = new FileInfo(CatalogPath);
        var wal = new FileInfo(CatalogPath + "-wal");
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{(db.Exists ? db.Length : -1)}/{(db.Exists ? db.LastWriteTimeUtc.Ticks : 0)}/{(wal.Exists ? wal.Length : -1)}/{(wal.Exists ? wal.LastWriteTimeUtc.Ticks : 0)}");
    }

    /// <summary>Earworm's own folder: $EARWORM_HOME, else $XDG_DATA_HOME/earworm, else ~/.local/share/earworm.</summary>
    public static string DefaultHome
    {
        get
        {
            var own = Environment.GetEnvironmentVariable("EARWORM_HOME");
            if (!string.IsNullOrWhiteSpace(own)) return Path.GetFullPath(own);
            var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            var data = !string.IsNullOrWhiteSpace(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return Path.Combine(data, "earworm");
        }
    }
}
