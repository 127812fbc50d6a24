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
        var stamp = Directory.EnumerateFiles(lib, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var second = await CliRunner.RunAsync("demo", "--json", "--db", db, "--dir", lib);
        Assert.Equal(0, second.ExitCode);
        using (var j = JsonDocument.Parse(second.Out))
            Assert.Equal(0, j.RootElement.GetProperty("analysed").GetInt32());
        foreach (var (f, t) in stamp.Where(kv => !kv.Key.EndsWith(".json", StringComparison.Ordinal)))
            Assert.Equal(t, File.GetLastWriteTimeUtc(f));
    }
}
