using System.Text.Json;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

public class CommandLineTests
{
    [Fact]
    public async Task HelpListsTheVerbs()
    {
        var r = await CliRunner.RunAsync("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var verb in new[] { "scan", "tracks", "status", "demo", "import", "users", "--db", "--json", "--verbose" })
            Assert.Contains(verb, r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryVerbExplainsItself()
    {
        foreach (var verb in new[] { "scan", "tracks", "status", "demo", "import", "users", "silo" })
        {
            var r = await CliRunner.RunAsync(verb, "--help");
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("Usage:", r.Out, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("no-such-verb")]
    [InlineData("scan")]
    [InlineData("scan", "--workers", "many", "/tmp")]
    [InlineData("tracks", "--status", "sideways")]
    [InlineData("silo", "--port", "11111")] // a silo without --redis
    [InlineData("silo", "--redis", "127.0.0.1:6379", "--shards", "0")]
    public async Task BadUsageExitsWithTwo(params string[] args)
    {
        var r = await CliRunner.RunAsync(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("earworm:", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASiloThatCannotReachRedisSaysSoWithoutAStack()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plays.csv"), "user,item,count\nalice,a,1\n");
        Assert.Equal(0, (await CliRunner.RunAsync("import", "csv", dir.File("plays.csv"), "--db", dir.File("c.db"))).ExitCode);
        var r = await CliRunner.RunAsync("silo", "--db", dir.File("c.db"), "--redis", "127.0.0.1:1", "--http", "0");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("earworm: cannot reach Redis at 127.0.0.1:1", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadingACatalogThatDoesNotExistSaysHowToMakeOne()
    {
        using var dir = new TempDirectory();
        var r = await CliRunner.RunAsync("status", "--db", dir.File("none.db"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("earworm scan", r.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("none.db")));
    }

    [Fact]
    public async Task ScanningAFolderThatDoesNotExistIsBadUsage()
    {
        using var dir = new TempDirectory();
        var r = await CliRunner.RunAsync("scan", "--db", dir.File("c.db"), dir.File("nowhere"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no such file or folder", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZeroWorkersIsBadUsage()
    {
        using var dir = new TempDirectory();
        var r = await CliRunner.RunAsync("scan", "--workers", "0", "--db", dir.File("c.db"), dir.Path);
        Assert.Equal(2, r.ExitCode);
    }

    [FfmpegFact]
    public async Task ScanTracksAndStatusTalkJson()
    {
        using var dir = new TempDirectory();
        var lib = Directory.CreateDirectory(dir.File("lib")).FullName;
        await File.WriteAllTextAsync(Path.Combine(lib, "fake.mp3"), "not audio");
        var db = dir.File("c.db");

        var scan = await CliRunner.RunAsync("scan", "--json", "--db", db, lib);
        Assert.Equal(0, scan.ExitCode);
        using (var j = JsonDocument.Parse(scan.Out))
        {
            Assert.Equal(1, j.RootElement.GetProperty("failed").GetInt32());
            Assert.Equal(0, j.RootElement.GetProperty("analysed").GetInt32());
        }

        var tracks = await CliRunner.RunAsync("tracks", "--json", "--db", db);
        using (var j = JsonDocument.Parse(tracks.Out))
        {
            var t = Assert.Single(j.RootElement.EnumerateArray().ToList());
            Assert.Equal("failed", t.GetProperty("status").GetString());
            Assert.EndsWith("fake.mp3", t.GetProperty("path").GetString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(t.GetProperty("failure").GetString()));
        }

        var status = await CliRunner.RunAsync("status", "--json", "--db", db);
        using (var j = JsonDocument.Parse(status.Out))
        {
            Assert.Equal(1, j.RootElement.GetProperty("failed").GetInt32());
            Assert.Equal(1, j.RootElement.GetProperty("total").GetInt32());
            Assert.True(j.RootElement.GetProperty("catalogBytes").GetInt64() > 0);
        }
    }

    [FfmpegFact]
    public async Task FailedTracksSayWhyTheyCouldNotBeRead()
    {
        using var dir = new TempDirectory();
        var lib = Directory.CreateDirectory(dir.File("lib")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(lib, "empty.ogg"), []);
        var db = dir.File("c.db");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", "--no-embed", "--db", db, lib)).ExitCode);

        var failed = await CliRunner.RunAsync("tracks", "--status", "failed", "--db", db);
        Assert.Equal(0, failed.ExitCode);
        var row = Assert.Single(failed.Out.Split('\n'), l => l.Contains("empty.ogg", StringComparison.Ordinal));
        Assert.Contains("empty file (0 bytes)", row, StringComparison.Ordinal);
        Assert.Contains("could not be read", failed.Out, StringComparison.Ordinal);

        var all = await CliRunner.RunAsync("tracks", "--db", db);
        Assert.Contains("`earworm tracks --status failed` says why", all.Out, StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task CountsAreSaidInWordsAndTheSameWayTwice()
    {
        using var dir = new TempDirectory();
        var lib = Directory.CreateDirectory(dir.File("lib")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(lib, "empty.ogg"), []);
        await File.WriteAllTextAsync(Path.Combine(lib, "notes.txt"), "liner notes");
        var db = dir.File("c.db");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", "--no-embed", "--db", db, lib)).ExitCode);

        var again = await CliRunner.RunAsync("scan", "--no-embed", "--db", db, lib);
        Assert.Contains("1 unchanged, 0 failed", again.Out, StringComparison.Ordinal);
        Assert.Contains("returned, 0 moved (the same tracks under new names) and 1 unchanged file.", again.Out, StringComparison.Ordinal);
        Assert.Contains("1 other file skipped", again.Out, StringComparison.Ordinal);
        var tracks = await CliRunner.RunAsync("tracks", "--db", db);
        Assert.Contains("1 track.", tracks.Out, StringComparison.Ordinal);
        Assert.Contains("1 other file under the scanned folders was skipped", tracks.Out, StringComparison.Ordinal);
        Assert.Contains("1 track could not be read", (await CliRunner.RunAsync("tracks", "--status", "failed", "--db", db)).Out, StringComparison.Ordinal);
        Assert.Contains("1 file skipped", (await CliRunner.RunAsync("tracks", "--status", "skipped", "--db", db)).Out, StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task TracksShowGuessedTagsAndListSkippedFiles()
    {
        using var dir = new TempDirectory();
        var album = Directory.CreateDirectory(dir.File("lib/Chip Album")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(album, "Some Artist - Boss Theme.xm"), ModuleWriter.Xm(title: ""));
        await File.WriteAllTextAsync(Path.Combine(album, "info.txt"), "liner notes");
        var db = dir.File("c.db");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", "--no-descriptors", "--db", db, dir.File("lib"))).ExitCode);

        using (var j = JsonDocument.Parse((await CliRunner.RunAsync("tracks", "--json", "--db", db)).Out))
        {
            var t = Assert.Single(j.RootElement.EnumerateArray().ToList());
            Assert.Equal(("Boss Theme", "Some Artist", "Chip Album"),
                (t.GetProperty("title").GetString(), t.GetProperty("artist").GetString(), t.GetProperty("album").GetString()));
            Assert.Equal(["title", "artist", "album"], t.GetProperty("guessed").EnumerateArray().Select(g => g.GetString()));
        }
        var table = await CliRunner.RunAsync("tracks", "--db", db);
        Assert.Contains("Boss Theme*", table.Out, StringComparison.Ordinal);
        Assert.Contains("guessed from the file name or folder", table.Out, StringComparison.Ordinal);
        Assert.Contains("1 other file under the scanned folders was skipped", table.Out, StringComparison.Ordinal);

        var skipped = await CliRunner.RunAsync("tracks", "--status", "skipped", "--json", "--db", db);
        using (var j = JsonDocument.Parse(skipped.Out))
        {
            var f = Assert.Single(j.RootElement.EnumerateArray().ToList());
            Assert.EndsWith("info.txt", f.GetProperty("path").GetString(), StringComparison.Ordinal);
            Assert.Equal("not audio (.txt file)", f.GetProperty("reason").GetString());
        }
        using (var j = JsonDocument.Parse((await CliRunner.RunAsync("status", "--json", "--db", db)).Out))
            Assert.Equal(1, j.RootElement.GetProperty("skipped").GetInt32());
    }
}
