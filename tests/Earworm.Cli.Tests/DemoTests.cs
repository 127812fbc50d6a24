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

        var stamp = Directory.EnumerateFiles(lib, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var second = await CliRunner.RunAsync("demo", "--json", "--db", db, "--dir", lib);
        Assert.Equal(0, second.ExitCode);
        using (var j = JsonDocument.Parse(second.Out))
            Assert.Equal(0, j.RootElement.GetProperty("analysed").GetInt32());
        foreach (var (f, t) in stamp.Where(kv => !kv.Key.EndsWith(".json", StringComparison.Ordinal)))
            Assert.Equal(t, File.GetLastWriteTimeUtc(f));
    }
}
