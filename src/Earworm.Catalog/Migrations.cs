using Microsoft.Data.Sqlite;

namespace Earworm.Catalog;

/// <summary>
/// Schema migrations, applied in order inside one transaction each; the schema version lives in
/// <c>PRAGMA user_version</c>. A migration is never edited once released: add the next one.
/// </summary>
internal static class Migrations
{
    private static readonly string[] Steps =
    [
        // 1: tracks and the history of scans.
        """
        CREATE TABLE tracks (
            id                 INTEGER PRIMARY KEY,
            path               TEXT    NOT NULL UNIQUE,
            size_bytes         INTEGER NOT NULL,
            mtime_unix_ms      INTEGER NOT NULL,
            content_hash       TEXT,
            status             TEXT    NOT NULL CHECK (status IN ('pending', 'analysed', 'failed', 'missing')),
            failure            TEXT,
            warnings           TEXT,
            container          TEXT,
            codec              TEXT,
            duration_s         REAL,
            source_rate_hz     INTEGER,
            source_channels    INTEGER,
            bit_rate           INTEGER,
            title              TEXT,
            artist             TEXT,
            album              TEXT,
            album_artist       TEXT,
            genre              TEXT,
            track_number       INTEGER,
            year               INTEGER,
            tags_json          TEXT,
            excerpt_count      INTEGER,
            excerpt_frames     INTEGER,
            analysis_version   INTEGER,
            discovered_at      TEXT    NOT NULL,
            analysed_at        TEXT,
            updated_at         TEXT    NOT NULL
        );
        CREATE INDEX tracks_status ON tracks (status);
        CREATE INDEX tracks_content_hash ON tracks (content_hash);
        CREATE TABLE scans (
            id              INTEGER PRIMARY KEY,
            roots_json      TEXT    NOT NULL,
            started_at      TEXT    NOT NULL,
            finished_at     TEXT,
            outcome         TEXT,
            analysed        INTEGER NOT NULL DEFAULT 0,
            failed          INTEGER NOT NULL DEFAULT 0,
            unchanged       INTEGER NOT NULL DEFAULT 0,
            missing         INTEGER NOT NULL DEFAULT 0,
            audio_seconds   REAL    NOT NULL DEFAULT 0
        );
        """,
        // 2: interpretable audio descriptors, one row per track, versioned (TrackDescriptors.Version).
        """
        CREATE TABLE descriptors (
            track_id        INTEGER PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
            version         INTEGER NOT NULL,
            is_silent       INTEGER NOT NULL,
            tempo_bpm       REAL,
            key_name        TEXT,
            camelot         TEXT,
            loudness_lufs   REAL,
            energy          REAL,
            danceability    REAL,
            brightness_hz   REAL,
            json            TEXT    NOT NULL,
            computed_at     TEXT    NOT NULL
        );
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int Latest => Steps.Length;

    public static void Apply(SqliteConnection connection)
    {
        int current = Version(connection);
        if (current > Latest)
            throw new CatalogException($"the catalog has schema version {current}, newer than this Earworm understands ({Latest}): upgrade Earworm");
        for (int v = current; v < Latest; v++)
        {
            using var tx = connection.BeginTransaction();
            using (var cmd = connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = Steps[v] + $"\nPRAGMA user_version = {v + 1};";
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    public static int Version(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>The catalog cannot be opened or is not in a state Earworm can use.</summary>
public sealed class CatalogException(string message) : EarwormException(message);
