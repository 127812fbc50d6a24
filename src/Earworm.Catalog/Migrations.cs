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
        // 3: listening data. Users; items (what was listened to: a catalog track when matched, else an item without
        //    audio), filed under a unique key (see Import/ItemKeys.cs) so re-imports land on the same item, and at most
        //    one item per track; interactions, unique per (user, item, source, time) for events and per
        //    (user, item, source) for aggregated counts (time NULL), so importing a file again adds nothing; count 0 is
        //    a skip, never positive feedback; playlists (unique per source file and user) with their ordered entries;
        //    item tags; and the imports that brought it all, with each file's sha-256.
        """
        CREATE TABLE users (
            id          INTEGER PRIMARY KEY,
            name        TEXT    NOT NULL UNIQUE,
            created_at  TEXT    NOT NULL
        );
        CREATE TABLE items (
            id          INTEGER PRIMARY KEY,
            key         TEXT    NOT NULL UNIQUE,
            track_id    INTEGER REFERENCES tracks (id) ON DELETE SET NULL,
            artist      TEXT,
            title       TEXT,
            album       TEXT,
            mbid        TEXT,
            location    TEXT,
            created_at  TEXT    NOT NULL
        );
        CREATE UNIQUE INDEX items_track ON items (track_id) WHERE track_id IS NOT NULL;
        CREATE TABLE imports (
            id                  INTEGER PRIMARY KEY,
            format              TEXT    NOT NULL,
            path                TEXT    NOT NULL,
            sha256              TEXT    NOT NULL,
            rows                INTEGER NOT NULL,
            user_name           TEXT,
            started_at          TEXT    NOT NULL,
            finished_at         TEXT,
            interactions_added  INTEGER NOT NULL DEFAULT 0,
            duplicates          INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX imports_sha256 ON imports (sha256);
        CREATE TABLE interactions (
            id                INTEGER PRIMARY KEY,
            user_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            item_id           INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
            count             REAL    NOT NULL CHECK (count >= 0),
            timestamp_unix_s  INTEGER,
            source            TEXT    NOT NULL,
            import_id         INTEGER REFERENCES imports (id) ON DELETE SET NULL
        );
        CREATE UNIQUE INDEX interactions_event ON interactions (user_id, item_id, source, timestamp_unix_s) WHERE timestamp_unix_s IS NOT NULL;
        CREATE UNIQUE INDEX interactions_aggregate ON interactions (user_id, item_id, source) WHERE timestamp_unix_s IS NULL;
        CREATE INDEX interactions_item ON interactions (item_id);
        CREATE TABLE playlists (
            id           INTEGER PRIMARY KEY,
            name         TEXT    NOT NULL,
            source_path  TEXT    NOT NULL,
            format       TEXT    NOT NULL,
            user_id      INTEGER REFERENCES users (id) ON DELETE CASCADE,
            import_id    INTEGER REFERENCES imports (id) ON DELETE SET NULL,
            created_at   TEXT    NOT NULL,
            updated_at   TEXT    NOT NULL
        );
        CREATE UNIQUE INDEX playlists_source ON playlists (source_path, COALESCE(user_id, 0));
        CREATE TABLE playlist_entries (
            playlist_id  INTEGER NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
            position     INTEGER NOT NULL,
            item_id      INTEGER NOT NULL REFERENCES items (id),
            PRIMARY KEY (playlist_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX playlist_entries_item ON playlist_entries (item_id);
        CREATE TABLE item_tags (
            item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
            tag      TEXT    NOT NULL,
            count    INTEGER NOT NULL CHECK (count > 0),
            source   TEXT    NOT NULL,
            PRIMARY KEY (item_id, tag, source)
        ) WITHOUT ROWID;
        """,
        // 4: learned models, the vectors they give items and tracks (one row per owner and space), and listener feedback.
        """
        CREATE TABLE models (
            id            INTEGER PRIMARY KEY,
            space         TEXT    NOT NULL,
            kind          TEXT    NOT NULL,
            version       TEXT    NOT NULL UNIQUE,
            params_json   TEXT    NOT NULL,
            data_version  TEXT    NOT NULL,
            file_path     TEXT,
            metrics_json  TEXT,
            created_at    TEXT    NOT NULL,
            is_current    INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX models_current ON models (space) WHERE is_current = 1;
        CREATE TABLE item_vectors (
            space     TEXT    NOT NULL,
            item_id   INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
            model_id  INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
            vector    BLOB    NOT NULL,
            PRIMARY KEY (space, item_id)
        ) WITHOUT ROWID;
        CREATE TABLE track_vectors (
            space     TEXT    NOT NULL,
            track_id  INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
            model_id  INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
            vector    BLOB    NOT NULL,
            PRIMARY KEY (space, track_id)
        ) WITHOUT ROWID;
        CREATE TABLE feedback (
            id          INTEGER PRIMARY KEY,
            user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            track_id    INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
            kind        TEXT    NOT NULL CHECK (kind IN ('play', 'like', 'dislike', 'skip')),
            context     TEXT,
            created_at  TEXT    NOT NULL
        );
        CREATE INDEX feedback_user ON feedback (user_id, created_at);
        """,
        // 5: what the scan learns besides the tags: an embedded picture (NULL: analysed before this was recorded),
        //    which of title, artist and album were guessed from the path (GuessedTags flags; NULL: not yet looked at,
        //    filled by the next scan), and the files under a scanned folder that are not tracks, with the reason.
        """
        ALTER TABLE tracks ADD COLUMN has_picture INTEGER;
        ALTER TABLE tracks ADD COLUMN guessed_tags INTEGER;
        CREATE TABLE skipped_files (
            path           TEXT    PRIMARY KEY,
            size_bytes     INTEGER,
            mtime_unix_ms  INTEGER,
            reason         TEXT    NOT NULL,
            seen_at        TEXT    NOT NULL
        ) WITHOUT ROWID;
        """,
        // 6: accounts of the listeners who sign in from apps (OpenSubsonic): the password sealed with the key beside
        //    the catalog (token authentication needs it back, so it cannot be a one-way hash), API keys by their SHA-256
        //    only; the albums and artists a listener starred (a starred song is a like, in feedback).
        """
        CREATE TABLE accounts (
            user_id          INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
            sealed_password  BLOB    NOT NULL,
            created_at       TEXT    NOT NULL,
            updated_at       TEXT    NOT NULL
        );
        CREATE TABLE api_keys (
            id          INTEGER PRIMARY KEY,
            user_id     INTEGER NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
            key_sha256  TEXT    NOT NULL UNIQUE,
            label       TEXT    NOT NULL,
            created_at  TEXT    NOT NULL
        );
        CREATE TABLE stars (
            user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            kind        TEXT    NOT NULL CHECK (kind IN ('album', 'artist')),
            key         TEXT    NOT NULL,
            created_at  TEXT    NOT NULL,
            PRIMARY KEY (user_id, kind, key)
        ) WITHOUT ROWID;
        """,
        // 7: the library's generation, moved on by triggers when what a library view reads changes (LibraryGeneration).
        LibraryGeneration.Schema(),
        // 8: tags on tracks from every source (TagSource), normalised (TagText), scored; whether a track's file tags were
        //    read (NULL: analysed before Earworm read them, filled by the next scan from tags_json without decoding).
        //    Tags are part of the library a view reads, so they move its generation.
        """
        CREATE TABLE track_tags (
            track_id  INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
            tag       TEXT    NOT NULL,
            score     REAL    NOT NULL CHECK (score > 0),
            source    TEXT    NOT NULL CHECK (source IN ('file', 'import', 'user', 'audio')),
            PRIMARY KEY (track_id, tag, source)
        ) WITHOUT ROWID;
        CREATE INDEX track_tags_tag ON track_tags (tag);
        ALTER TABLE tracks ADD COLUMN file_tags_read INTEGER;
        """ + LibraryGeneration.Triggers("track_tags"),
        // 9: the event log (IEventLogRepository): every track shown to a listener (impressions, with the policy and the
        //    propensity it was chosen with) and what followed (outcomes). Append-only — triggers refuse updates and
        //    deletes — and kept apart from users and tracks (no foreign keys to cascade): a log outlives what it names.
        """
        CREATE TABLE impressions (
            id              INTEGER PRIMARY KEY,
            user_name       TEXT    NOT NULL,
            request_id      TEXT    NOT NULL,
            position        INTEGER NOT NULL CHECK (position >= 0),
            track_id        INTEGER,
            item_id         INTEGER,
            surface         TEXT    NOT NULL,
            policy          TEXT    NOT NULL,
            policy_version  TEXT    NOT NULL,
            propensity      REAL    NOT NULL CHECK (propensity > 0 AND propensity <= 1),
            score           REAL,
            context         TEXT,
            created_at      TEXT    NOT NULL,
            CHECK (track_id IS NOT NULL OR item_id IS NOT NULL)
        );
        CREATE INDEX impressions_user_track ON impressions (user_name, track_id);
        CREATE TABLE outcomes (
            id              INTEGER PRIMARY KEY,
            user_name       TEXT    NOT NULL,
            track_id        INTEGER NOT NULL,
            kind            TEXT    NOT NULL CHECK (kind IN ('play', 'complete', 'skip', 'like', 'dislike')),
            position_s      REAL,
            impression_id   INTEGER,
            created_at      TEXT    NOT NULL
        );
        CREATE TRIGGER impressions_no_update BEFORE UPDATE ON impressions BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        CREATE TRIGGER impressions_no_delete BEFORE DELETE ON impressions BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        CREATE TRIGGER outcomes_no_update BEFORE UPDATE ON outcomes BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        CREATE TRIGGER outcomes_no_delete BEFORE DELETE ON outcomes BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        """,
        // 10: texts about artists, albums and tracks (TextDocument), one per kind and key (a folded name, or a track id):
        //     the `text` and `tags` spaces are made of them, so they move the library's generation.
        """
        CREATE TABLE texts (
            kind        TEXT    NOT NULL CHECK (kind IN ('artist', 'album', 'track')),
            key         TEXT    NOT NULL,
            name        TEXT    NOT NULL,
            body        TEXT    NOT NULL,
            source      TEXT    NOT NULL,
            updated_at  TEXT    NOT NULL,
            PRIMARY KEY (kind, key)
        ) WITHOUT ROWID;
        """ + LibraryGeneration.Triggers("texts"),
        // 11: a listener's ratings (1–5) of songs, albums and artists, as apps set them (OpenSubsonic setRating); a
        //     song rated 1 is also a dislike, in feedback.
        """
        CREATE TABLE ratings (
            user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            kind        TEXT    NOT NULL CHECK (kind IN ('song', 'album', 'artist')),
            key         TEXT    NOT NULL,
            rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
            rated_at    TEXT    NOT NULL,
            PRIMARY KEY (user_id, kind, key)
        ) WITHOUT ROWID;
        """,
        // 12: a listener's tracks of one kind of feedback (their dislikes, read by every keep-playing request) from the
        //     index alone: feedback_user made that query read every piece of the listener's feedback, which grows with
        //     each play and skip. An outcome's impression is looked up among the listener's latest impressions
        //     (OutcomeRecord.LinkWindow) in an index in the order of appending, so a shown list writes to the end of the
        //     listener's part of it instead of one place per track (that index cost a list three times its rows).
        """
        CREATE INDEX feedback_user_kind ON feedback (user_id, kind, track_id);
        DROP INDEX impressions_user_track;
        CREATE INDEX impressions_user_recent ON impressions (user_name, id, track_id);
        """,
        // 13: a shown list is one row (shown_lists), its tracks in one column (ShownLists: position, track, item,
        //     propensity, score, and a context where it differs from the list's), their impression ids the row's first id
        //     and those after it; logging a list of ten had written ten rows and ten index entries. The impressions logged
        //     so far become lists of one, under their own ids, so outcomes stay linked; numbers are copied to 17 digits,
        //     which read back exactly.
        """
        CREATE TABLE shown_lists (
            first_id        INTEGER PRIMARY KEY,
            n               INTEGER NOT NULL CHECK (n > 0),
            user_name       TEXT    NOT NULL,
            request_id      TEXT    NOT NULL,
            surface         TEXT    NOT NULL,
            policy          TEXT    NOT NULL,
            policy_version  TEXT    NOT NULL,
            context         TEXT,
            created_at      TEXT    NOT NULL,
            items           TEXT    NOT NULL
        );
        INSERT INTO shown_lists (first_id, n, user_name, request_id, surface, policy, policy_version, context, created_at, items)
        SELECT id, 1, user_name, request_id, surface, policy, policy_version, context, created_at,
               '[[' || position || ',' || ifnull(track_id, 'null') || ',' || ifnull(item_id, 'null') || ',' || printf('%!.17g', propensity) || ','
                    || CASE WHEN score IS NULL THEN 'null' ELSE printf('%!.17g', score) END || ']]'
        FROM impressions ORDER BY id;
        CREATE INDEX shown_lists_user_recent ON shown_lists (user_name, first_id);
        CREATE TRIGGER shown_lists_no_update BEFORE UPDATE ON shown_lists BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        CREATE TRIGGER shown_lists_no_delete BEFORE DELETE ON shown_lists BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        DROP TRIGGER impressions_no_update;
        DROP TRIGGER impressions_no_delete;
        DROP TABLE impressions;
        """,
        // 14: a listener's play queue, kept for their apps (OpenSubsonic savePlayQueue/getPlayQueue): one row a
        //     listener, the tracks in order as a JSON array, the current one and where in it.
        """
        CREATE TABLE play_queues (
            user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
            track_ids    TEXT    NOT NULL,
            current_id   INTEGER,
            position_ms  INTEGER NOT NULL DEFAULT 0,
            changed_at   TEXT    NOT NULL,
            changed_by   TEXT
        );
        """,
        // 15: what a listener says of a playlist in their apps: a comment, and whether other listeners see it.
        """
        ALTER TABLE playlists ADD COLUMN comment TEXT;
        ALTER TABLE playlists ADD COLUMN public INTEGER NOT NULL DEFAULT 0;
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int Latest => Steps.Length;

    /// <summary>Brings the schema up to <paramref name="upTo"/> (the latest when null; an earlier version: tests of a
    /// step's migration of data).</summary>
    public static void Apply(SqliteConnection connection, int? upTo = null)
    {
        int target = upTo ?? Latest;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(target, Latest, nameof(upTo));
        int current = Version(connection);
        if (current > Latest)
            throw new CatalogException($"the catalog has schema version {current}, newer than this Earworm understands ({Latest}): upgrade Earworm");
        while (current < target)
        {
            // BEGIN IMMEDIATE takes the write lock; the version is read again under it, so two processes opening a new
            // catalog at once (a scan, and status beside it) never run the same step twice.
            using var tx = connection.BeginTransaction(deferred: false);
            current = Version(connection, tx);
            if (current < target)
            {
                using var cmd = connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = Steps[current] + $"\nPRAGMA user_version = {current + 1};";
                cmd.ExecuteNonQuery();
                current++;
            }
            tx.Commit();
        }
    }

    public static int Version(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>The catalog cannot be opened or is not in a state Earworm can use.</summary>
public sealed class CatalogException(string message) : EarwormException(message);
