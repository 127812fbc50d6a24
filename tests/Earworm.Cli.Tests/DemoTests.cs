using System.Text.Json;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

public class DemoTests
{
    [FfmpegFact]
    public async Task DemoMakesAnalysesAndOnASecondRunKeepsTheLibrary()
    {
        using var home = new TempDirectory();
        var db = home.File("demo/catalog.db");
        var lib = home.File("demo/library");

        var first = await CliRunner.RunAsync("demo", "--json", "--db", db, "--dir", lib);
        Assert.True(first.ExitCode == 0, first.Err);
        using (var j = JsonDocument.Parse(first.Out))
        {
            var tracks = j.RootElement.GetProperty("tracks").EnumerateArray().ToList();
            Assert.True(tracks.Count >= 18);
            Assert.All(tracks, t => Assert.Equal("analysed", t.GetProperty("status").GetString()));
            Assert.True(tracks.Select(t => t.GetProperty("style").GetString()).Distinct().Count() >= 6);
            Assert.Equal(["flac", "mp3", "ogg", "wav"], tracks.Select(t => t.GetProperty("format").GetString()).Distinct().Order());
            Assert.All(tracks, t => Assert.True(t.GetProperty("trueTempoBpm").GetDouble() > 0));
            Assert.Equal(tracks.Count, j.RootElement.GetProperty("analysed").GetInt32());
            double minutes = tracks.Sum(t => t.GetProperty("durationSeconds").GetDouble()) / 60;
            Assert.InRange(minutes, 3, 10);
            // it ends with a keep-playing playlist and a join-the-dots walk
            var keep = j.RootElement.GetProperty("keepPlaying").GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("trackId").GetInt64()).ToList();
            Assert.Equal(8, keep.Count);
            Assert.Equal(keep.Count, keep.Distinct().Count());
            var join = j.RootElement.GetProperty("joinTheDots").GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("trackId").GetInt64()).ToList();
            Assert.Equal(7, join.Count);
            Assert.Equal(join.Count, join.Distinct().Count());
            Assert.Equal(tracks[^1].GetProperty("id").GetInt64(), join[^1]);
        }
        // the descriptors space hears the styles: a house track's nearest neighbours are the other house tracks
        var similar = await CliRunner.RunAsync("similar", "--json", "--db", db, "House No. 1", "--count", "2");
        Assert.True(similar.ExitCode == 0, similar.Err);
        using (var j = JsonDocument.Parse(similar.Out))
        {
            var titles = j.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("title").GetString()).ToList();
            Assert.Equal(2, titles.Count);
            Assert.All(titles, t => Assert.StartsWith("House No.", t, StringComparison.Ordinal));
            Assert.DoesNotContain("House No. 1", titles);
        }

        await PlaylistVerbsWorkOnTheDemoLibrary(home, db);

        var stamp = Directory.EnumerateFiles(lib, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var second = await CliRunner.RunAsync("demo", "--json", "--db", db, "--dir", lib);
        Assert.Equal(0, second.ExitCode);
        using (var j = JsonDocument.Parse(second.Out))
            Assert.Equal(0, j.RootElement.GetProperty("analysed").GetInt32());
        foreach (var (f, t) in stamp.Where(kv => !kv.Key.EndsWith(".json", StringComparison.Ordinal)))
            Assert.Equal(t, File.GetLastWriteTimeUtc(f));
    }

    private static async Task PlaylistVerbsWorkOnTheDemoLibrary(TempDirectory home, string db)
    {
        // keep playing from a house track, steered: tempo range, no artist twice in a row; written as M3U8 with relative paths
        var m3u = home.File("demo/p.m3u8");
        var keep = await CliRunner.RunAsync("playlist", "--json", "--db", db, "House No. 1", "--length", "6", "--tempo", "100-150",
            "--no-repeat-artist", "1", "--out", m3u);
        Assert.True(keep.ExitCode == 0, keep.Err);
        using (var j = JsonDocument.Parse(keep.Out))
        {
            var entries = j.RootElement.GetProperty("entries").EnumerateArray().ToList();
            Assert.Equal(6, entries.Count);
            Assert.Equal("House No. 1", entries[0].GetProperty("title").GetString());
            var gaveWay = j.RootElement.GetProperty("gaveWay").EnumerateArray().Select(g => g.GetProperty("position").GetInt32()).ToHashSet();
            foreach (var e in entries.Skip(1).Where(e => !gaveWay.Contains(e.GetProperty("position").GetInt32())))
                Assert.InRange(e.GetProperty("tempoBpm").GetDouble(), 100, 150);
        }
        var lines = File.ReadAllLines(m3u);
        Assert.Equal("#EXTM3U", lines[0]);
        Assert.StartsWith("library/", lines[3], StringComparison.Ordinal);

        // words: the demo files carry their style's words (instruments, mood), so "piano" begins with the piano ballads and
        // "drums" with the styles a drum kit plays in; each says which words pulled it in
        foreach (var (words, stems) in new[] { ("calm piano", new[] { "Ballade für Klavier" }), ("drums", ["House", "Drum and Bass", "Rock", "Chiptune"]) })
        {
            var text = await CliRunner.RunAsync("playlist", "--json", "--db", db, "--text", words, "--length", "6");
            Assert.True(text.ExitCode == 0, text.Err);
            using var j = JsonDocument.Parse(text.Out);
            var first = j.RootElement.GetProperty("entries").EnumerateArray().Take(3).ToList();
            Assert.Equal(3, first.Count);
            Assert.All(first, e => Assert.Contains(stems, s => e.GetProperty("title").GetString()!.StartsWith(s + " No.", StringComparison.Ordinal)));
            Assert.All(first, e => Assert.StartsWith("words: ", e.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal));
        }
        var empty = await CliRunner.RunAsync("playlist", "--db", db, "--text", "  ");
        Assert.Equal(2, empty.ExitCode);

        var join = await CliRunner.RunAsync("playlist", "--db", db, "--from", "House No. 1", "--to", "Chiptune No. 3", "--length", "5");
        Assert.True(join.ExitCode == 0, join.Err);
        Assert.Contains("join-the-dots", join.Out, StringComparison.Ordinal);

        var hybrid = await CliRunner.RunAsync("similar", "--json", "--db", db, "House No. 1", "--space", "hybrid", "--count", "3");
        Assert.True(hybrid.ExitCode == 0, hybrid.Err);
        var cf = await CliRunner.RunAsync("similar", "--db", db, "House No. 1", "--space", "cf");
        Assert.Equal(2, cf.ExitCode);
        Assert.Contains("earworm train cf", cf.Err, StringComparison.Ordinal);

        var csv = home.File("demo/descriptors.csv");
        var export = await CliRunner.RunAsync("export", "--db", db, "--space", "descriptors", "--out", csv);
        Assert.True(export.ExitCode == 0, export.Err);
        var rows = File.ReadAllLines(csv);
        Assert.StartsWith("id,path,x0,x1,", rows[0], StringComparison.Ordinal);
        Assert.True(rows.Length >= 19);
    }
}
