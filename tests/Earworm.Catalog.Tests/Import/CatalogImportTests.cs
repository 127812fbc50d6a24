using Earworm.Audio.Media;
using Earworm.Catalog.Import;
using Earworm.Testing;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog.Tests.Import;

public sealed class CatalogImportTests : IDisposable
{
    private readonly TempDirectory _dir;
    private readonly CatalogStore _catalog;

    // a file catalog, so the tests can look inside through a connection of their own
    public CatalogImportTests()
    {
        _dir = new TempDirectory();
        _catalog = CatalogStore.Open(_dir.File("catalog.db"));
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _dir.Dispose();
    }

    private long Query(string sql)
    {
        using var conn = new SqliteConnection($"Data Source={_dir.File("catalog.db")};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Execute(string sql)
    {
        using var conn = new SqliteConnection($"Data Source={_dir.File("catalog.db")};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA foreign_keys = ON;" + sql;
        cmd.ExecuteNonQuery();
    }

    private string Write(string name, string text)
    {
        var path = _dir.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private IReadOnlyList<ImportOutcome> Import(ImportFormat format, string? user, params string[] paths) =>
        _catalog.Import(ImportReader.Read(format, paths, new ImportOptions { User = user }));

    /// <summary>An analysed track at <paramref name="path"/> with these tags.</summary>
    private long Track(string path, string? artist, string? title)
    {
        _catalog.RecordDiscovered([new FoundFile(path, 1, 1)], [Path.GetDirectoryName(path)!], retryFailed: false);
        var id = _catalog.FindByPath(path)!.Id;
        _catalog.SaveAnalysed(id, new AnalysedTrack(1, 1, "h" + id, new MediaInfo { Container = "mp3", Codec = "mp3", Artist = artist, Title = title }, 1, 1, 1, null));
        return id;
    }

    [Fact]
    public void TheMigrationMakesTheListeningTablesWithTheirUniquenessRules()
    {
        using (var memory = CatalogStore.OpenInMemory())
        {
            Assert.Equal(Migrations.Latest, memory.SchemaVersion);
            Assert.Equal(new ListeningCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), memory.ListeningCounts());
            Assert.Empty(memory.ListUsers());
            Assert.Null(memory.LastImport());
        }
        foreach (var table in new[] { "users", "items", "interactions", "playlists", "playlist_entries", "imports", "item_tags" })
            Assert.Equal(1, Query($"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"));
        Assert.Equal(new ListeningCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), _catalog.ListeningCounts());
        Execute("""
            INSERT INTO users (id, name, created_at) VALUES (1, 'u', 'now');
            INSERT INTO items (id, key, created_at) VALUES (1, 'k', 'now');
            INSERT INTO imports (id, format, path, sha256, rows, started_at) VALUES (1, 'csv', '/p', 'h', 0, 'now');
            INSERT INTO interactions (user_id, item_id, count, timestamp_unix_s, source) VALUES (1, 1, 1, 100, 'csv');
            INSERT INTO interactions (user_id, item_id, count, timestamp_unix_s, source) VALUES (1, 1, 1, 101, 'csv');
            INSERT INTO interactions (user_id, item_id, count, timestamp_unix_s, source) VALUES (1, 1, 5, NULL, 'csv');
            INSERT INTO interactions (user_id, item_id, count, timestamp_unix_s, source) VALUES (1, 1, 5, NULL, 'lastfm-2k');
            """);
        Assert.Throws<SqliteException>(() => Execute("INSERT INTO interactions (user_id, item_id, count, timestamp_unix_s, source) VALUES (1, 1, 1, 100, 'csv')"));
        Assert.Throws<SqliteException>(() => Execute("INSERT INTO interactions (user_id, item_id, count, source) VALUES (1, 1, 2, 'csv')"));
        Assert.Throws<SqliteException>(() => Execute("INSERT INTO interactions (user_id, item_id, count, source) VALUES (1, 1, -1, 'spotify')"));
        Assert.Throws<SqliteException>(() => Execute("INSERT INTO items (key, created_at) VALUES ('k', 'now')"));
    }

    [Fact]
    public void ImportingTheSameFileTwiceAddsNothingTheSecondTime()
    {
        var csv = Write("plays.csv", "user,item,count,timestamp\nalice,1,2,100\nalice,1,1,200\nbob,2,3,\nbob,2,4,\nbob,3,1,\n");
        var first = Assert.Single(Import(ImportFormat.Csv, null, csv));
        Assert.Equal((5, 2, 3, 3, 4, 0, 0), (first.Rows, first.UsersAdded, first.ItemsAdded, first.Items, first.InteractionsAdded, first.DuplicatesSkipped, first.InteractionsUpdated));
        Assert.Null(first.SameAsImportId);
        var counts = _catalog.ListeningCounts();
        // bob's two untimed rows for item 2 are one aggregated count of 7
        Assert.Equal((2, 3, 4, 2 + 1 + 7 + 1.0), (counts.Users, counts.Items, counts.Interactions, counts.Plays));

        var second = Assert.Single(Import(ImportFormat.Csv, null, csv));
        Assert.Equal((0, 0, 0, 4, 0), (second.UsersAdded, second.ItemsAdded, second.InteractionsAdded, second.DuplicatesSkipped, second.InteractionsUpdated));
        Assert.Equal(first.ImportId, second.SameAsImportId);
        Assert.Equal(counts with { Imports = 2 }, _catalog.ListeningCounts());
    }

    [Fact]
    public void AnAggregatedCountImportedAgainWithAnotherValueIsReplaced()
    {
        Import(ImportFormat.Csv, null, Write("a.csv", "user,item,count\nalice,1,2\nalice,2,5\n"));
        var again = Assert.Single(Import(ImportFormat.Csv, null, Write("b.csv", "user,item,count\nalice,1,3\nalice,2,5\nalice,4,1\n")));
        Assert.Equal((1, 1, 1), (again.InteractionsAdded, again.InteractionsUpdated, again.DuplicatesSkipped));
        Assert.Equal(3 + 5 + 1.0, _catalog.ListeningCounts().Plays);
    }

    [Fact]
    public void AMalformedFileLeavesTheCatalogUnchanged()
    {
        Import(ImportFormat.Csv, null, Write("ok.csv", "user,item\nalice,1\n"));
        var before = _catalog.ListeningCounts();
        var good = Write("good.csv", "user,item\ncarol,9\n");
        var bad = Write("bad.csv", "user,item\ndave,1\ndave\n");
        var e = Assert.Throws<DatasetFormatException>(() => Import(ImportFormat.Csv, null, good, bad));
        Assert.Equal($"{bad}:3: expected 2 fields as in the header, found 1 (delimiter ',')", e.Message);
        Assert.Equal(before, _catalog.ListeningCounts());
    }

    [Fact]
    public void AWriteThatFailsHalfWayIsRolledBack()
    {
        var good = new ImportSource(ImportFormat.Csv, "/g.csv", "g") { Listens = [new Listen("carol", new ItemRef { SourceKey = "csv:1" }, 1, null, 2)] };
        var broken = new ImportSource(ImportFormat.Csv, "/b.csv", "b") { Listens = [new Listen(null, new ItemRef { SourceKey = "csv:2" }, 1, null, 2)] };
        Assert.Throws<InvalidOperationException>(() => _catalog.Import([good, broken]));
        Assert.Equal(new ListeningCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), _catalog.ListeningCounts());
        Assert.Single(_catalog.Import([good]));
    }

    [Fact]
    public void ItemsMatchTracksByPathAndByArtistAndTitleWhateverTheCaseAndAccents()
    {
        long joga = Track("/m/bjork/joga.mp3", "Björk", "Jóga");
        long kyoto = Track("/m/air/kyoto.mp3", "Air", "Alone in Kyoto");
        var csv = Write("plays.csv", "user,item,artist,title\nalice,/m/bjork/joga.mp3,,\nalice,,BJORK,joga\nalice,x,air,ALONE IN KYOTO\nalice,y,Nobody,Nothing\n");
        var o = Assert.Single(Import(ImportFormat.Csv, null, csv));
        Assert.Equal((3, 2, 3), (o.Items, o.ItemsMatched, o.ItemsAdded));
        Assert.Equal(2, _catalog.ListeningCounts().ItemsMatched);
        Assert.Equal(2, Query($"SELECT count FROM interactions i JOIN items t ON t.id = i.item_id WHERE t.track_id = {joga}"));
        Assert.Equal(1, Query($"SELECT COUNT(*) FROM items WHERE track_id = {kyoto}"));
        Assert.Equal(1, Query("SELECT COUNT(*) FROM items WHERE track_id IS NULL AND artist = 'Nobody'"));
    }

    [Fact]
    public void AnItemHeardBeforeItsTrackWasScannedIsLinkedWhenAPlaylistNamesTheTrack()
    {
        Import(ImportFormat.LastFmCsv, "alice", Write("scrobbles.csv", "Björk,Homogenic,Jóga,31 Jan 2021 14:05\n"));
        Assert.Equal(0, _catalog.ListeningCounts().ItemsMatched);
        long joga = Track(_dir.File("music/joga.mp3"), "Bjork", "Joga");
        var o = Assert.Single(Import(ImportFormat.M3u, null, Write("lists/one.m3u", "../music/joga.mp3\n")));
        Assert.Equal((0, 1), (o.ItemsAdded, o.ItemsMatched));
        var counts = _catalog.ListeningCounts();
        Assert.Equal((1, 1, 1), (counts.Items, counts.ItemsMatched, counts.PlaylistEntries));
        Assert.Equal(1, Query($"SELECT COUNT(*) FROM items WHERE track_id = {joga}"));
    }

    [Fact]
    public void PlaylistsMatchByCanonicalPathThenHintsAndKeepUrls()
    {
        var real = Directory.CreateDirectory(_dir.File("music")).FullName;
        File.WriteAllText(Path.Combine(real, "a.mp3"), "x");
        File.CreateSymbolicLink(_dir.File("link"), real);
        long a = Track(Earworm.Catalog.Scanning.LibraryWalker.Canonical(Path.Combine(real, "a.mp3"))!, "Air", "Playground Love");
        long b = Track("/elsewhere/b.mp3", "Björk", "Jóga");
        var m3u = Write("lists/mix.m3u8", "#EXTM3U\n../link/a.mp3\n#EXTINF:300,Bjork - Joga\n/old/disk/joga.mp3\n#EXTINF:-1,Radio\nhttp://radio.example/live\n");
        var o = Assert.Single(Import(ImportFormat.M3u, "alice", m3u));
        Assert.Equal((1, 3, 2), (o.PlaylistsAdded, o.PlaylistEntries, o.ItemsMatched));
        Assert.Equal(a, Query("SELECT t.track_id FROM playlist_entries e JOIN items t ON t.id = e.item_id WHERE e.position = 0"));
        Assert.Equal(b, Query("SELECT t.track_id FROM playlist_entries e JOIN items t ON t.id = e.item_id WHERE e.position = 1"));
        Assert.Equal(1, Query("SELECT COUNT(*) FROM items WHERE location = 'http://radio.example/live' AND track_id IS NULL"));
        Assert.Equal(1, _catalog.ListUsers().Single(u => u.Name == "alice").Playlists);

        var same = Assert.Single(Import(ImportFormat.M3u, "alice", m3u));
        Assert.Equal((0, 0, 1), (same.PlaylistsAdded, same.PlaylistsUpdated, same.PlaylistsUnchanged));
        File.WriteAllText(m3u, "#EXTM3U\n#PLAYLIST:Shorter\n../link/a.mp3\n");
        var changed = Assert.Single(Import(ImportFormat.M3u, "alice", m3u));
        Assert.Equal(1, changed.PlaylistsUpdated);
        Assert.Equal((1, 1), (_catalog.ListeningCounts().Playlists, _catalog.ListeningCounts().PlaylistEntries));
        Assert.Equal(1, Query("SELECT COUNT(*) FROM playlists WHERE name = 'Shorter'"));
    }

    [Fact]
    public void ListeningFromSeveralServicesMeetsOnOneItemAndSkipsStayOutOfThePlays()
    {
        Import(ImportFormat.LastFmCsv, "alice", Write("lastfm.csv", "Björk,Homogenic,Jóga,31 Jan 2021 14:05\n"));
        Import(ImportFormat.ListenBrainz, "alice", Write("lb.jsonl", "{\"listened_at\": 1612102000, \"track_metadata\": {\"artist_name\": \"bjork\", \"track_name\": \"JOGA\"}}\n"));
        Import(ImportFormat.Spotify, "alice", Write("sp.json", """
            [{"ts": "2021-02-01T10:00:00Z", "ms_played": 200000, "master_metadata_track_name": "Jóga", "master_metadata_album_artist_name": "Björk"},
             {"ts": "2021-02-01T10:01:00Z", "ms_played": 2000, "master_metadata_track_name": "Jóga", "master_metadata_album_artist_name": "Björk"}]
            """));
        var counts = _catalog.ListeningCounts();
        Assert.Equal((1, 1, 3, 3.0, 1), (counts.Users, counts.Items, counts.Interactions, counts.Plays, counts.Skips));
        var alice = Assert.Single(_catalog.ListUsers());
        Assert.Equal(("alice", 3, 3.0, 1, 1), (alice.Name, alice.Interactions, alice.Plays, alice.Items, alice.Skips));
        Assert.Equal(new DateTimeOffset(2021, 1, 31, 14, 5, 0, TimeSpan.Zero), alice.FirstListen);
    }
}
