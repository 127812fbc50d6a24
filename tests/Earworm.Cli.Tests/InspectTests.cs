using System.Text.Json;
using Earworm.Audio.Media;
using Earworm.Audio.Synthesis;
using Earworm.Catalog;
using Earworm.Recommend.Projection;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary><c>inspect model</c> after <c>train audio</c> on a small synthesised library (two albums).</summary>
public sealed class InspectTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [FfmpegFact]
    public async Task Writes_the_map_its_coordinates_and_the_playlists_of_chosen_filters()
    {
        var library = await SynthLibrary.WriteAsync(_dir.File("lib"), (SynthStyle.AmbientPad, "Pads"), (SynthStyle.DrumAndBass, "Breaks"), (SynthStyle.Chiptune, "Pads"));
        var db = _dir.File("c.db");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", "--db", db, "--no-descriptors", "--no-embed", library)).ExitCode);

        var before = await CliRunner.RunAsync("--db", db, "inspect", "model", "--out", _dir.File("none"));
        Assert.Equal(2, before.ExitCode);
        Assert.Contains("train audio", before.Err);

        // a scan places the library in the audio space with the encoder Earworm ships: inspect works in it, no training
        var scan = await CliRunner.RunAsync("scan", "--db", db, "--no-descriptors", library);
        Assert.True(scan.ExitCode == 0, scan.Err);
        Assert.Contains("the shipped encoder", scan.Out);

        var outDir = _dir.File("inspect");
        var r = await CliRunner.RunAsync("--db", db, "--json", "inspect", "model", "--out", outDir, "--filters", "0,3", "--pick", "2",
            "--count", "3", "--threads", "1", "--iterations", "300");
        Assert.True(r.ExitCode == 0, r.Err);
        using var json = JsonDocument.Parse(r.Out);
        Assert.Equal(6, json.RootElement.GetProperty("tracks").GetInt32());
        Assert.Equal(5.0 / 3, json.RootElement.GetProperty("perplexity").GetDouble(), 3); // 30 lowered to (n − 1)/3 for 6 tracks
        Assert.InRange(json.RootElement.GetProperty("trustworthiness").GetDouble(), 0, 1);

        // the map: a PNG, and the same coordinates in DIR and beside the catalog
        Assert.True(new FileInfo(Path.Combine(outDir, "map-audio.png")).Length > 10_000);
        var map = LibraryMapFile.TryLoad(Path.Combine(outDir, "map-audio.json"))!;
        var shared = LibraryMapFile.TryLoad(Path.Combine(CatalogStore.ModelFolderFor(db), "map-audio.json"))!;
        Assert.Equal(map.Points, shared.Points);
        Assert.Equal("tsne", map.Method);
        Assert.Equal(6, map.Points.Count);
        Assert.All(map.Points, p => Assert.InRange(Math.Max(Math.Abs(p.X), Math.Abs(p.Y)), 0, 1));
        Assert.Equal(1, map.Points.Max(p => Math.Max(Math.Abs(p.X), Math.Abs(p.Y))), 6);
        Assert.Equal(4, map.Points.Count(p => p.Album == "Pads"));
        using (var catalog = CatalogStore.Open(db))
        {
            Assert.Equal(catalog.CurrentModel("audio")!.Version, map.ModelVersion);
            Assert.Equal(catalog.LoadTrackVectors("audio").Ids.Order(), map.Points.Select(p => p.Id).Order());
        }

        // playlists: conv1 filters 0 and 3 as asked, the 2 most selective units of the last dense layer; max and mean each
        var playlists = json.RootElement.GetProperty("playlists").EnumerateArray().ToList();
        Assert.Equal(8, playlists.Count);
        Assert.Equal(["conv1-filter-000-max.m3u8", "conv1-filter-000-mean.m3u8", "conv1-filter-003-max.m3u8", "conv1-filter-003-mean.m3u8"],
            playlists.Take(4).Select(p => p.GetProperty("file").GetString()));
        Assert.All(playlists.Skip(4), p => Assert.StartsWith("dense2-unit-", p.GetProperty("file").GetString()));
        var m3u = File.ReadAllLines(Path.Combine(outDir, "conv1-filter-003-mean.m3u8"));
        Assert.Equal("#EXTM3U", m3u[0]);
        var entries = m3u.Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.StartsWith("../lib/", e)); // relative to the playlist's folder
        Assert.Contains("Synth - Track", m3u[2]);
        var index = File.ReadAllText(Path.Combine(outDir, "index.md"));
        Assert.Contains("conv1-filter-003-mean.m3u8", index);
        Assert.Contains("map-audio.png", File.ReadAllText(Path.Combine(outDir, "index.html")));

        // a filter the layer does not have is a usage error that says how many it has
        var bad = await CliRunner.RunAsync("--db", db, "inspect", "model", "--out", outDir, "--filters", "999", "--threads", "1", "--iterations", "10");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("conv1 has 64 units", bad.Err);
    }
}
