using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace Earworm.Catalog;

/// <summary>
/// The PostgreSQL catalog: the same repositories as <see cref="CatalogStore"/> (one contract suite holds both) over
/// a server many processes share — servers of a cluster, a scan, an import. One instance holds one pooled connection
/// (a unit of work; not shared between threads). Its schema is its own (<see cref="PostgresSchema"/>), brought up to
/// date once per process and address; bulk imports stream interactions with binary COPY.
/// </summary>
public sealed partial class PostgresCatalog : ICatalog
{
    private static readonly ConcurrentDictionary<string, NpgsqlDataSource> Sources = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, bool> Migrated = new(StringComparer.Ordinal);

    private readonly NpgsqlConnection _db;

    private PostgresCatalog(NpgsqlConnection connection, PostgresAddress address)
    {
        _db = connection;
        Address = address;
    }

    /// <summary>Where the catalog lives (shown without its password).</summary>
    public PostgresAddress Address { get; }

    /// <summary>Null: the catalog is on a server, not in a file.</summary>
    public string? FilePath => null;

    public int SchemaVersion => PostgresSchema.Version(_db);

    /// <summary>Opens the catalog at <paramref name="address"/> (creating its schema in an empty database).</summary>
    /// <exception cref="CatalogException">the server cannot be reached, refuses the user, or holds a newer schema.</exception>
    public static PostgresCatalog Open(PostgresAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var cs = address.ConnectionString;
        var source = Sources.GetOrAdd(cs, s => NpgsqlDataSource.Create(s));
        NpgsqlConnection? conn = null;
        try
        {
            conn = source.OpenConnection();
            if (!Migrated.ContainsKey(cs))
            {
                PostgresSchema.Apply(conn);
                Migrated[cs] = true;
            }
            return new PostgresCatalog(conn, address);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            conn?.Dispose();
            throw new CatalogException($"cannot open the catalog {address}: {e.Message}");
        }
        catch
        {
            conn?.Dispose();
            throw;
        }
    }

    public void Dispose() => _db.Dispose();

    /// <summary>Closes this process's idle connections to <paramref name="address"/> (before the database is dropped
    /// or used as a template); the next <see cref="Open"/> connects again.</summary>
    public static void Release(PostgresAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var cs = address.ConnectionString;
        if (Sources.TryRemove(cs, out var source)) source.Dispose();
        Migrated.TryRemove(cs, out _);
    }

    public long LibraryGeneration() => Convert.ToInt64(Scalar("SELECT value FROM library_generation WHERE id = 1"), CultureInfo.InvariantCulture);

    /// <summary>A number that moves with every write to the server (its write-ahead log position): what tells a server
    /// that listening data may have changed (<see cref="LibraryGeneration"/> says whether the library did). The insert
    /// position, which moves at once, not the write position, which lags behind asynchronous commits.</summary>
    public string WriteStamp() => Convert.ToString(Scalar("SELECT pg_current_wal_insert_lsn()::text"), CultureInfo.InvariantCulture) ?? "";

    /// <summary>Any number, the same in every Earworm: the advisory lock a scan holds.</summary>
    private const long ScanLockKey = 0x4561727753636E31; // "EarwScn1"

    /// <summary>Takes the server's scan lock for this catalog (an advisory lock of this connection's session: the
    /// server releases it if the process dies); null when another scan holds it. Dispose to release.</summary>
    public IDisposable? TryLockScan() =>
        Scalar($"SELECT pg_try_advisory_lock({ScanLockKey})") is true ? new ScanLockRelease(this) : null;

    private sealed class ScanLockRelease(PostgresCatalog catalog) : IDisposable
    {
        public void Dispose()
        {
            if (catalog._db.State == System.Data.ConnectionState.Open) catalog.Scalar($"SELECT pg_advisory_unlock({ScanLockKey})");
        }
    }

    /// <summary>The database's size on the server, in bytes.</summary>
    public long SizeBytes() => Convert.ToInt64(Scalar("SELECT pg_database_size(current_database())"), CultureInfo.InvariantCulture);

    // ---- SQL helpers -------------------------------------------------------------------------

    private NpgsqlCommand Command(string sql, params (string Name, object? Value)[] args) => _db.Command(sql, args);

    private int Execute(string sql, params (string Name, object? Value)[] args) => _db.Execute(sql, args);

    private object? Scalar(string sql, params (string Name, object? Value)[] args) => _db.Scalar(sql, args);

    private long? ScalarLong(string sql, params (string Name, object? Value)[] args) => _db.ScalarLong(sql, args);

    private List<T> Rows<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object? Value)[] args) => _db.Rows(sql, read, args);

    private static DateTime Now() => DateTime.UtcNow;

    private static int Int(NpgsqlDataReader r, int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);

    private static double Real(NpgsqlDataReader r, int i) => Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset Time(NpgsqlDataReader r, int i) => CatalogStore.TimeOf(r.GetValue(i));

    private static DateTimeOffset? MaybeTime(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : Time(r, i);

    // ---- tracks ------------------------------------------------------------------------------

    private List<TrackRecord> Tracks(string where, params (string Name, object? Value)[] args) =>
        Rows($"SELECT {CatalogStore.TrackColumns} FROM tracks {where}", CatalogStore.ReadTrack, args);

    public IReadOnlyList<TrackRecord> ListTracks(TrackStatus? status = null) =>
        status is { } s ? Tracks("WHERE status = @s ORDER BY path COLLATE \"C\"", ("s", CatalogStore.StatusText(s))) : Tracks("ORDER BY path COLLATE \"C\"");

    public TrackRecord? FindById(long id) => Tracks("WHERE id = @id", ("id", id)).FirstOrDefault();

    public TrackRecord? FindByPath(string path) => Tracks("WHERE path = @p", ("p", path)).FirstOrDefault();

    public TrackRecord? FindAnalysedByHash(string contentHash) =>
        Tracks("WHERE content_hash = @h AND status IN ('analysed', 'missing') AND analysis_version = @v AND analysed_at IS NOT NULL ORDER BY id LIMIT 1",
            ("h", contentHash), ("v", CatalogStore.AnalysisVersion)).FirstOrDefault();

    public CatalogCounts Counts()
    {
        int analysed = 0, failed = 0, missing = 0, pending = 0;
        double seconds = 0;
        foreach (var (status, n, s) in Rows("SELECT status, COUNT(*), COALESCE(SUM(duration_s), 0) FROM tracks GROUP BY status",
                     r => (r.GetString(0), Int(r, 1), Real(r, 2))))
        {
            switch (CatalogStore.ParseStatus(status))
            {
                case TrackStatus.Analysed: analysed = n; seconds = s; break;
                case TrackStatus.Failed: failed = n; break;
                case TrackStatus.Missing: missing = n; break;
                case TrackStatus.Pending: pending = n; break;
            }
        }
        int skipped = Convert.ToInt32(Scalar("SELECT COUNT(*) FROM skipped_files"), CultureInfo.InvariantCulture);
        return new CatalogCounts(analysed, failed, missing, pending, seconds) { Skipped = skipped };
    }
}
