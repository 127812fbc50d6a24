using System.Text.Json;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

public sealed class ImportCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Db => _dir.File("catalog.db");

    private string Write(string name, string text)
    {
        var path = _dir.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    [Fact]
    public async Task ImportsACsvAndAgainWithoutDuplicating()
    {
        var csv = Write("plays.csv", "listener;song;plays;at\nalice;1;3;1609459200\nalice;2;1;\nbob;1;2;\n");
        var first = await CliRunner.RunAsync("import", "csv", csv, "--column", "user=listener", "--column", "item=song",
            "--column", "count=plays", "--column", "timestamp=at", "--json", "--db", Db);
        Assert.Equal(0, first.ExitCode);
        using (var j = JsonDocument.Parse(first.Out))
        {
            var file = Assert.Single(j.RootElement.GetProperty("files").EnumerateArray().ToList());
            Assert.Equal((3, 2, 2, 3, 0), (Int(file, "rows"), Int(file, "usersAdded"), Int(file, "itemsAdded"), Int(file, "interactionsAdded"), Int(file, "duplicatesSkipped")));
            Assert.Equal(3, Int(j.RootElement.GetProperty("catalog"), "interactions"));
        }

        var again = await CliRunner.RunAsync("import", "csv", csv, "--column", "user=listener", "--column", "item=song",
            "--column", "count=plays", "--column", "timestamp=at", "--db", Db);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("0 interactions added, 0 updated, 3 duplicates skipped", again.Out, StringComparison.Ordinal);
        Assert.Contains("same content as import #1", again.Out, StringComparison.Ordinal);
        Assert.Contains("The catalog holds 2 users, 2 items (0 of them tracks), 3 interactions", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportsAnM3uMatchingCatalogTracksByPathAndHints()
    {
        using (var catalog = CatalogStore.Open(Db))
        {
            catalog.RecordDiscovered([new FoundFile("/music/air/kyoto.mp3", 1, 1), new FoundFile("/music/bjork/joga.mp3", 1, 1)], ["/music"], retryFailed: false);
            foreach (var (path, artist, title) in new[] { ("/music/air/kyoto.mp3", "Air", "Alone in Kyoto"), ("/music/bjork/joga.mp3", "Björk", "Jóga") })
            {
                var t = catalog.FindByPath(path)!;
                catalog.SaveAnalysed(t.Id, new AnalysedTrack(1, 1, "h" + t.Id, new MediaInfo { Container = "mp3", Codec = "mp3", Artist = artist, Title = title }, 1, 1, 1, null));
            }
        }
        var m3u = Write("lists/evening.m3u", "#EXTM3U\n/music/air/kyoto.mp3\n#EXTINF:305,Bjork - Joga\nold/joga.mp3\nhttp://radio.example/live\n");
        var r = await CliRunner.RunAsync("import", "m3u", _dir.File("lists"), "--user", "alice", "--json", "--db", Db);
        Assert.Equal(0, r.ExitCode);
        using var j = JsonDocument.Parse(r.Out);
        var file = Assert.Single(j.RootElement.GetProperty("files").EnumerateArray().ToList());
        Assert.Equal((1, 3, 3, 2), (Int(file, "playlistsAdded"), Int(file, "playlistEntries"), Int(file, "itemsAdded"), Int(file, "itemsMatched")));
        Assert.EndsWith("evening.m3u", file.GetProperty("path").GetString(), StringComparison.Ordinal);

        var status = await CliRunner.RunAsync("status", "--db", Db);
        Assert.Contains("listening 1 user, 3 items (2 of them tracks), 0 interactions", status.Out, StringComparison.Ordinal);
        Assert.Contains("playlists 1 (3 entries)", status.Out, StringComparison.Ordinal);
    }

    /// <summary>A malformed file exits with 1, like any failure of the work itself: the command was well formed and
    /// another file may import fine. 2 is kept for commands that cannot work as written, so scripts can tell them apart.</summary>
    [Fact]
    public async Task AMalformedFileExitsWithOneNamingTheLineAndImportsNothing()
    {
        var good = Write("good.csv", "user,item\nalice,1\n");
        var bad = Write("bad.csv", "user,item,count\nalice,1,2\nbob,2,lots\n");
        var r = await CliRunner.RunAsync("import", "csv", good, bad, "--db", Db);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"earworm: {bad}:3: count \"lots\" is not a non-negative number", r.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Db)); // files are read before the catalog is opened

        Assert.Equal(0, (await CliRunner.RunAsync("import", "csv", good, "--db", Db)).ExitCode);
        Assert.Equal(1, (await CliRunner.RunAsync("import", "csv", Write("more.csv", "user,item\ncarol,3\n"), bad, "--db", Db)).ExitCode);
        var users = await CliRunner.RunAsync("users", "--json", "--db", Db);
        var only = Assert.Single(JsonDocument.Parse(users.Out).RootElement.EnumerateArray().ToList());
        Assert.Equal(("alice", 1), (only.GetProperty("name").GetString(), Int(only, "interactions")));
    }

    [Theory]
    [InlineData("import", "wav", "x.csv")]
    [InlineData("import", "csv", "missing.csv")]
    [InlineData("import", "lastfm-csv", "scrobbles.csv")]
    [InlineData("import", "csv", "plays.csv", "--user", "alice")]
    [InlineData("import", "csv", "plays.csv", "--column", "colour=red")]
    [InlineData("import", "csv", "plays.csv", "--delimiter", "::")]
    [InlineData("import", "csv")]
    public async Task ACommandThatCannotWorkAsWrittenExitsWithTwo(params string[] args)
    {
        Write("plays.csv", "user,item\nalice,1\n");
        Write("scrobbles.csv", "Air,Moon Safari,La femme d'argent,31 Jan 2021 14:05\n");
        var full = args.Select(a => a.EndsWith(".csv", StringComparison.Ordinal) ? _dir.File(a) : a).Concat(["--db", Db]).ToArray();
        var r = await CliRunner.RunAsync(full);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("earworm:", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", r.Err, StringComparison.Ordinal); // the person's words, not .NET's
    }

    [Fact]
    public async Task UsersListsListenersWithTheirCounts()
    {
        Write("alice.csv", "Air,Moon Safari,La femme d'argent,31 Jan 2021 14:05\nAir,Moon Safari,Sexy Boy,31 Jan 2021 14:12\n");
        Assert.Equal(0, (await CliRunner.RunAsync("import", "lastfm-csv", _dir.File("alice.csv"), "--user", "alice", "--db", Db)).ExitCode);
        Write("bob.json", """[{"ts": "2021-02-01T10:00:00Z", "ms_played": 2000, "master_metadata_track_name": "Sexy Boy", "master_metadata_album_artist_name": "Air"}]""");
        Assert.Equal(0, (await CliRunner.RunAsync("import", "spotify", _dir.File("bob.json"), "--user", "bob", "--db", Db)).ExitCode);

        var json = await CliRunner.RunAsync("users", "--json", "--db", Db);
        Assert.Equal(0, json.ExitCode);
        var users = JsonDocument.Parse(json.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(["alice", "bob"], users.Select(u => u.GetProperty("name").GetString()));
        Assert.Equal((2, 2, 0), (Int(users[0], "interactions"), Int(users[0], "items"), Int(users[0], "skips")));
        Assert.Equal((0, 1), (Int(users[1], "interactions"), Int(users[1], "skips")));

        var table = await CliRunner.RunAsync("users", "--db", Db);
        Assert.Contains("alice", table.Out, StringComparison.Ordinal);
        Assert.Contains("2021-01-31", table.Out, StringComparison.Ordinal);
        Assert.Contains("2 users.", table.Out, StringComparison.Ordinal);

        var status = await CliRunner.RunAsync("status", "--json", "--db", Db);
        using var j = JsonDocument.Parse(status.Out);
        var listening = j.RootElement.GetProperty("listening");
        Assert.Equal((2, 2, 2, 1), (Int(listening, "users"), Int(listening, "items"), Int(listening, "interactions"), Int(listening, "skips")));
        Assert.Equal("spotify", j.RootElement.GetProperty("lastImport").GetProperty("format").GetString());
    }
}
