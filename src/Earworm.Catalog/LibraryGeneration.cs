namespace Earworm.Catalog;

/// <summary>
/// The library's generation: a number the catalog moves on whenever what a library view reads changes (tracks, scans,
/// descriptors, skipped files, models and their vectors, accounts and their keys, tags on tracks), and only then. Listening data,
/// feedback, stars and playlists leave it where it is, so the many small writes of listeners (a play, a star, a
/// scrobble) never make a server read the whole library, its vectors and indexes again.
/// </summary>
internal static class LibraryGeneration
{
    /// <summary>The tables a library view reads.</summary>
    public static readonly string[] Tables =
        ["tracks", "scans", "descriptors", "skipped_files", "models", "track_vectors", "item_vectors", "accounts", "api_keys"];

    /// <summary>The schema step that keeps the generation: one row, moved on by a trigger on every change to
    /// <see cref="Tables"/> (in the database, so every writer — another process's scan included — moves it). Listening
    /// tables get no trigger: a per-row trigger costs bulk imports about 40 % of their speed.</summary>
    public static string Schema() =>
        "CREATE TABLE library_generation (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);\n" +
        "INSERT INTO library_generation (id, value) VALUES (1, 0);\n" + Triggers(Tables);

    /// <summary>The triggers that move the generation on every change to <paramref name="tables"/> (a later schema
    /// step adds its own tables' with this).</summary>
    public static string Triggers(params string[] tables) =>
        string.Concat(tables.SelectMany(table => new[] { "INSERT", "UPDATE", "DELETE" }.Select(change =>
            $"CREATE TRIGGER {table}_{change.ToLowerInvariant()}_library AFTER {change} ON {table} " +
            "BEGIN UPDATE library_generation SET value = value + 1 WHERE id = 1; END;\n")));
}
