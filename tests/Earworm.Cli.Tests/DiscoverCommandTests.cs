using System.Text.Json;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary><c>earworm discover</c> on the HetRec-format sample (items are artists without audio).</summary>
public sealed class DiscoverCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync(["--db", _dir.File("catalog.db"), .. args]);

    [Fact]
    public async Task ADiscoveryListOfNewArtistsWithItsPropensitiesAndNothingToSaveWithoutAudio()
    {
        Assert.Equal(0, (await Run("import", "lastfm-2k", TestData.FixtureDir("lastfm-2k-sample"))).ExitCode);
        var train = await Run("train", "cf", "--factors", "8", "--iterations", "5", "--threads", "1");
        Assert.True(train.ExitCode == 0, train.Err);

        var json = await Run("discover", "--user", "lastfm-2k:3", "--count", "12", "--explore", "0.5", "--random-seed", "5", "--json",
            "--out", _dir.File("lists/week.json"));
        Assert.True(json.ExitCode == 0, json.Err);
        // --out FILE.json writes what --json prints (it wrote another shape: items, modelVersion, "source": 0), and says where
        Assert.Equal(json.Out.Trim(), File.ReadAllText(_dir.File("lists/week.json")).Trim());
        Assert.Contains(_dir.File("lists/week.json"), json.Err.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var root = JsonDocument.Parse(json.Out).RootElement;
        var tracks = root.GetProperty("tracks").EnumerateArray().ToList();
        Assert.Equal(12, tracks.Count);
        Assert.Equal(12, root.GetProperty("newArtists").GetInt32());
        Assert.StartsWith("Discover 20", root.GetProperty("playlist").GetString(), StringComparison.Ordinal);
        Assert.All(tracks, t => Assert.InRange(t.GetProperty("propensity").GetDouble(), 1e-9, 1));
        Assert.Equal(["deeper", "popular", "sounds-like"], root.GetProperty("arms").EnumerateArray().Select(a => a.GetProperty("name").GetString()));

        var saved = await Run("discover", "--user", "lastfm-2k:3", "--count", "5", "--save");
        Assert.Equal(1, saved.ExitCode); // asked to save and saved nothing: a failure, the list still shown
        Assert.Contains("nothing saved", saved.Err, StringComparison.Ordinal); // artists have no audio file to put in a playlist
        Assert.Contains("artists the listener never played", saved.Out, StringComparison.Ordinal);

        // a file it cannot write is refused before a list is drawn: nothing is logged as shown
        var before = await Run("events", "export", "--out", _dir.File("before.jsonl"));
        Assert.True(before.ExitCode == 0, before.Err);
        var txt = await Run("discover", "--user", "lastfm-2k:3", "--count", "5", "--out", _dir.File("list.txt"));
        Assert.Equal(2, txt.ExitCode);
        Assert.Contains("as .xspf or .json, not '.txt'", txt.Err, StringComparison.Ordinal);
        Assert.Equal(0, (await Run("events", "export", "--out", _dir.File("after.jsonl"))).ExitCode);
        Assert.Equal(File.ReadAllLines(_dir.File("before.jsonl")).Length, File.ReadAllLines(_dir.File("after.jsonl")).Length);

        Assert.Equal(2, (await Run("discover", "--user", "lastfm-2k:3", "--explore", "1.5")).ExitCode);
        Assert.Contains("unknown user", (await Run("discover", "--user", "nobody")).Err, StringComparison.Ordinal);
        Assert.Equal(2, (await Run("discover")).ExitCode);
    }
}
