using Earworm.Audio.Media;
using Earworm.Catalog.Scanning;
using Earworm.Testing;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog.Tests;

public class CatalogStoreTests
{
    [Fact]
    public void MigratesAnEmptyDatabaseToTheLatestSchema()
    {
        using var c = CatalogStore.OpenInMemory();
        Assert.Equal(Migrations.Latest, c.SchemaVersion);
        Assert.Equal(new CatalogCounts(0, 0, 0, 0, 0), c.Counts());
    }

    [Fact]
    public void ReopeningKeepsDataAndDoesNotMigrateTwice()
    {
        using var dir = new TempDirectory();
        var path = dir.File("sub/catalog.db");
        using (var c = CatalogStore.Open(path))
            c.RecordDiscovered([new FoundFile("/m/a.mp3", 10, 1)], ["/m"], retryFailed: false);
        using (var c = CatalogStore.Open(path))
        {
            Assert.Equal(Migrations.Latest, c.SchemaVersion);
            Assert.Single(c.ListTracks());
        }
    }

    [Fact]
    public void UsesWriteAheadLogging()
    {
        using var dir = new TempDirectory();
        using var c = CatalogStore.Open(dir.File("c.db"));
        using var conn = new SqliteConnection($"Data Source={dir.File("c.db")}");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", cmd.ExecuteScalar());
    }

    [Fact]
    public void RefusesACatalogFromANewerEarworm()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.db");
        using (var conn = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"PRAGMA user_version = {Migrations.Latest + 1}";
            cmd.ExecuteNonQuery();
        }
        var e = Assert.Throws<CatalogException>(() => CatalogStore.Open(path));
        Assert.Contains("newer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotADatabaseIsAClearError()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.db");
        File.WriteAllText(path, new string('x', 4096));
        var e = Assert.Throws<CatalogException>(() => CatalogStore.Open(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DiscoveryAddsChangesRestoresAndMarksMissingOnlyUnderTheRoots()
    {
        using var c = CatalogStore.OpenInMemory();
        var first = c.RecordDiscovered(
            [new FoundFile("/m/a.mp3", 10, 1), new FoundFile("/m/b.ogg", 20, 1), new FoundFile("/other/c.flac", 30, 1)],
            ["/m", "/other"], retryFailed: false);
        Assert.Equal(3, first.Added);
        var a = c.FindByPath("/m/a.mp3")!;
        c.SaveAnalysed(a.Id, Analysed(10, 1));
        Assert.Equal(TrackStatus.Analysed, c.FindById(a.Id)!.Status);

        // second scan of /m only: a unchanged, b changed, a new file, nothing said about /other
        var second = c.RecordDiscovered([new FoundFile("/m/a.mp3", 10, 1), new FoundFile("/m/b.ogg", 21, 2), new FoundFile("/m/d.wav", 5, 1)],
            ["/m"], retryFailed: false);
        Assert.Equal(new DiscoveryOutcome(Added: 1, Changed: 1, Unchanged: 1, Resumed: 0, Restored: 0, Missing: 0), second);
        Assert.Equal(TrackStatus.Pending, c.FindByPath("/other/c.flac")!.Status);

        // a vanishes, then comes back unchanged: missing, then restored without work
        var third = c.RecordDiscovered([new FoundFile("/m/b.ogg", 21, 2), new FoundFile("/m/d.wav", 5, 1)], ["/m"], retryFailed: false);
        Assert.Equal(1, third.Missing);
        Assert.Equal(TrackStatus.Missing, c.FindById(a.Id)!.Status);
        var fourth = c.RecordDiscovered([new FoundFile("/m/a.mp3", 10, 1)], ["/m/a.mp3"], retryFailed: false);
        Assert.Equal(1, fourth.Restored);
        Assert.Equal(TrackStatus.Analysed, c.FindById(a.Id)!.Status);
        Assert.Equal(new CatalogCounts(Analysed: 1, Failed: 0, Missing: 0, Pending: 3, AnalysedAudioSeconds: 12.5), c.Counts());
    }

    [Fact]
    public void TracksAnalysedBeforeGuessingGetTheirGuessesWithoutADecode()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.db");
        using var c = CatalogStore.Open(path);
        c.RecordDiscovered([new FoundFile("/m/Some Album/02 - Some Band - A Song.mp3", 10, 1)], ["/m"], retryFailed: false);
        var t = c.ListTracks().Single();
        c.SaveAnalysed(t.Id, Analysed(10, 1));
        using (var conn = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "UPDATE tracks SET guessed_tags = NULL, title = NULL, artist = NULL, album = NULL"; // as migration 5 leaves them
            cmd.ExecuteNonQuery();
        }
        Assert.Equal(1, c.GuessMissingTags());
        var after = c.FindById(t.Id)!;
        Assert.Equal(("A Song", "Some Band", "Some Album"), (after.Title, after.Artist, after.Album));
        Assert.Equal(GuessedTags.Title | GuessedTags.Artist | GuessedTags.Album, after.GuessedTags);
        Assert.Equal(0, c.GuessMissingTags()); // looked at once
    }

    [Fact]
    public void FailedFilesAreRetriedOnlyWhenAskedOrChanged()
    {
        using var c = CatalogStore.OpenInMemory();
        c.RecordDiscovered([new FoundFile("/m/x.mp3", 10, 1)], ["/m"], retryFailed: false);
        var x = c.FindByPath("/m/x.mp3")!;
        c.SaveFailed(x.Id, 10, 1, "ab", "ffprobe: Invalid data found when processing input");
        Assert.Equal("ffprobe: Invalid data found when processing input", c.FindById(x.Id)!.Failure);
        Assert.Equal(0, c.RecordDiscovered([new FoundFile("/m/x.mp3", 10, 1)], ["/m"], retryFailed: false).ToAnalyse);
        Assert.Equal(1, c.RecordDiscovered([new FoundFile("/m/x.mp3", 10, 1)], ["/m"], retryFailed: true).ToAnalyse);
        Assert.Single(c.PendingAmong(["/m/x.mp3"]));
        Assert.Empty(c.PendingAmong(["/m/y.mp3"]));
    }

    [Fact]
    public void ScansAreRecorded()
    {
        using var c = CatalogStore.OpenInMemory();
        Assert.Null(c.LastScan());
        var id = c.StartScan(["/m"]);
        Assert.Null(c.LastScan()!.FinishedAt);
        c.FinishScan(id, "completed", 3, 1, 2, 0, 99.5);
        var s = c.LastScan()!;
        Assert.Equal("completed", s.Outcome);
        Assert.Equal(["/m"], s.Roots);
        Assert.Equal(99.5, s.AudioSeconds);
    }

    internal static AnalysedTrack Analysed(long size, long mtime) => new(size, mtime, "abcdef0123456789",
        new MediaInfo { Container = "mp3", Codec = "mp3", DurationSeconds = 12.5, Title = "T", Artist = "A", Album = "B" },
        12.5, 1, 538, null);

    [Fact]
    public void ScannedRootsAreEveryScansFoldersOnce()
    {
        using var c = CatalogStore.OpenInMemory();
        Assert.Empty(c.ScannedRoots());
        c.StartScan(["/music/a", "/music/b"]);
        c.StartScan(["/music/b"]);
        c.StartScan(["/elsewhere"]);
        Assert.Equal(["/music/a", "/music/b", "/elsewhere"], c.ScannedRoots());
    }
}
