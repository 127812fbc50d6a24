using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog;

/// <summary>
/// The SQLite catalog: tracks and scans, listening data and imports, models and vectors, feedback. WAL journal, so readers
/// (status, the web app) never block a scan and a crash loses at most the track in flight.
/// Not thread-safe: one instance per thread of use (the scanner funnels writes through one writer).
/// </summary>
public sealed partial class CatalogStore : ICatalog
{
    /// <summary>Version of the per-track analysis (decode, log-mel, excerpts). Bump it when their output
    /// changes: a re-scan then re-analyses every track.</summary>
    public const int AnalysisVersion = 1;

    private readonly SqliteConnection _db;

    private CatalogStore(SqliteConnection connection, string? filePath)
    {
        _db = connection;
        FilePath = filePath;
    }

    /// <summary>The database file; null for an in-memory catalog.</summary>
    public string? FilePath { get; }

    public int SchemaVersion => Migrations.Version(_db);

    public long LibraryGeneration()
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT value FROM library_generation WHERE id = 1";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Opens (creating if needed) the catalog at <paramref name="path"/> and brings its schema up to date.</summary>
    /// <exception cref="CatalogException">the file is not a usable SQLite catalog.</exception>
    public static CatalogStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (dir is not null) Directory.CreateDirectory(dir);
        var cs = new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        return OpenWith(cs, full, wal: true);
    }

    /// <summary>A private in-memory catalog (tests).</summary>
    public static CatalogStore OpenInMemory() => OpenWith("Data Source=:memory:", null, wal: false);

    private static CatalogStore OpenWith(string connectionString, string? filePath, bool wal)
    {
        var conn = new SqliteConnection(connectionString);
        try
        {
            conn.Open();
            Exec(conn, wal
                ? "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;"
                : "PRAGMA foreign_keys = ON;");
            Migrations.Apply(conn);
            return new CatalogStore(conn, filePath);
        }
        catch (SqliteException e)
        {
            conn.Dispose();
            throw new CatalogException($"cannot open the catalog {filePath ?? ":memory:"}: {e.Message}");
        }
        catch
        {
            conn.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _appendList?.Dispose();
        _nextImpressionId?.Dispose();
        _db.Dispose();
    }

    private static void Exec(SqliteConnection conn, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private static object Db(object? value) => value ?? DBNull.Value;

    // ---- reading ---------------------------------------------------------------------------

    /// <summary>The columns <see cref="ReadTrack"/> reads, in its order (every back end's track query).</summary>
    internal const string TrackColumns =
        "id, path, size_bytes, mtime_unix_ms, content_hash, status, failure, warnings, container, codec, duration_s, " +
        "source_rate_hz, source_channels, bit_rate, title, artist, album, album_artist, genre, track_number, year, " +
        "excerpt_count, excerpt_frames, analysis_version, analysed_at, " +
        "(SELECT version FROM descriptors WHERE descriptors.track_id = tracks.id), guessed_tags, has_picture";

    /// <summary>A track row of <see cref="TrackColumns"/>, from any back end (times as ISO text or timestamps).</summary>
    internal static TrackRecord ReadTrack(System.Data.Common.DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Path = r.GetString(1),
        SizeBytes = r.GetInt64(2),
        MtimeUnixMs = r.GetInt64(3),
        ContentHash = r.IsDBNull(4) ? null : r.GetString(4),
        Status = ParseStatus(r.GetString(5)),
        Failure = r.IsDBNull(6) ? null : r.GetString(6),
        Warnings = r.IsDBNull(7) ? null : r.GetString(7),
        Container = r.IsDBNull(8) ? null : r.GetString(8),
        Codec = r.IsDBNull(9) ? null : r.GetString(9),
        DurationSeconds = r.IsDBNull(10) ? null : r.GetDouble(10),
        SourceSampleRateHz = r.IsDBNull(11) ? null : r.GetInt32(11),
        SourceChannels = r.IsDBNull(12) ? null : r.GetInt32(12),
        BitRate = r.IsDBNull(13) ? null : r.GetInt64(13),
        Title = r.IsDBNull(14) ? null : r.GetString(14),
        Artist = r.IsDBNull(15) ? null : r.GetString(15),
        Album = r.IsDBNull(16) ? null : r.GetString(16),
        AlbumArtist = r.IsDBNull(17) ? null : r.GetString(17),
        Genre = r.IsDBNull(18) ? null : r.GetString(18),
        TrackNumber = r.IsDBNull(19) ? null : r.GetInt32(19),
        Year = r.IsDBNull(20) ? null : r.GetInt32(20),
        ExcerptCount = r.IsDBNull(21) ? null : r.GetInt32(21),
        ExcerptFrames = r.IsDBNull(22) ? null : r.GetInt32(22),
        AnalysisVersion = r.IsDBNull(23) ? null : r.GetInt32(23),
        AnalysedAt = r.IsDBNull(24) ? null : TimeOf(r.GetValue(24)),
        DescriptorVersion = r.IsDBNull(25) ? null : r.GetInt32(25),
        GuessedTags = r.IsDBNull(26) ? Scanning.GuessedTags.None : (Scanning.GuessedTags)r.GetInt32(26),
        HasPicture = r.IsDBNull(27) ? null : r.GetInt32(27) != 0,
    };

    /// <summary>A stored time: ISO 8601 text (SQLite) or a timestamp (PostgreSQL's timestamptz, UTC).</summary>
    internal static DateTimeOffset TimeOf(object value) => value switch
    {
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture),
        DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
        DateTimeOffset at => at,
        _ => throw new CatalogException($"a time stored as {value.GetType().Name}"),
    };

    internal static TrackStatus ParseStatus(string s) => s switch
    {
        "pending" => TrackStatus.Pending,
        "analysed" => TrackStatus.Analysed,
        "failed" => TrackStatus.Failed,
        "missing" => TrackStatus.Missing,
        _ => throw new CatalogException($"unknown track status '{s}' in the catalog"),
    };

    internal static string StatusText(TrackStatus s) => s switch
    {
        TrackStatus.Pending => "pending",
        TrackStatus.Analysed => "analysed",
        TrackStatus.Failed => "failed",
        TrackStatus.Missing => "missing",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    private List<TrackRecord> Query(string where, params (string Name, object? Value)[] args)
    {
        using var cmd = Command($"SELECT {TrackColumns} FROM tracks {where}");
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, Db(v));
        using var r = cmd.ExecuteReader();
        var list = new List<TrackRecord>();
        while (r.Read()) list.Add(ReadTrack(r));
        return list;
    }

    /// <summary>Every track, optionally of one status, ordered by path.</summary>
    public IReadOnlyList<TrackRecord> ListTracks(TrackStatus? status = null) =>
        status is { } s ? Query("WHERE status = $s ORDER BY path", ("$s", StatusText(s))) : Query("ORDER BY path");

    public TrackRecord? FindById(long id) => Query("WHERE id = $id", ("$id", id)).FirstOrDefault();

    public TrackRecord? FindByPath(string path) => Query("WHERE path = $p", ("$p", path)).FirstOrDefault();

    /// <summary>Counts by status and the audio analysed, in seconds.</summary>
    public CatalogCounts Counts()
    {
        using var cmd = Command("SELECT status, COUNT(*), COALESCE(SUM(duration_s), 0) FROM tracks GROUP BY status");
        using var r = cmd.ExecuteReader();
        int analysed = 0, failed = 0, missing = 0, pending = 0;
        double seconds = 0;
        while (r.Read())
        {
            int n = r.GetInt32(1);
            switch (ParseStatus(r.GetString(0)))
            {
                case TrackStatus.Analysed: analysed = n; seconds = r.GetDouble(2); break;
                case TrackStatus.Failed: failed = n; break;
                case TrackStatus.Missing: missing = n; break;
                case TrackStatus.Pending: pending = n; break;
            }
        }
        using var skipped = Command("SELECT COUNT(*) FROM skipped_files");
        return new CatalogCounts(analysed, failed, missing, pending, seconds) { Skipped = Convert.ToInt32(skipped.ExecuteScalar(), CultureInfo.InvariantCulture) };
    }

}
