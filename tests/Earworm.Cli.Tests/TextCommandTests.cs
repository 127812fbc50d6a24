using System.Text.Json;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary><c>import text</c>, <c>tags --terms</c> and the spaces of words from the command line.</summary>
public sealed class TextCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Db => _dir.File("catalog.db");

    private void Library()
    {
        using var catalog = CatalogStore.Open(Db);
        var tracks = new[]
        {
            ("air/kyoto.mp3", "Air", "Alone in Kyoto", "Talkie Walkie"), ("air/sexy.mp3", "Air", "Sexy Boy", "Moon Safari"),
            ("bjork/joga.mp3", "Björk", "Jóga", "Homogenic"), ("slayer/angel.mp3", "Slayer", "Angel of Death", "Reign in Blood"),
        }.Select(t => (_dir.File("music/" + t.Item1), t.Item2, t.Item3, t.Item4)).ToList();
        foreach (var t in tracks)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(t.Item1)!);
            File.WriteAllBytes(t.Item1, [1]); // similar wants the files there
        }
        catalog.RecordDiscovered([.. tracks.Select(t => new FoundFile(t.Item1, 1, 1))], [_dir.File("music")], retryFailed: false);
        foreach (var (path, artist, title, album) in tracks)
        {
            var t = catalog.FindByPath(path)!;
            catalog.SaveAnalysed(t.Id, new AnalysedTrack(1, 1, "h" + t.Id, new MediaInfo
            {
                Container = "mp3", Codec = "mp3", Artist = artist, Title = title, Album = album,
            }, 1, 1, 1, null), new TrackDescriptors
            {
                DurationSeconds = 200, SampleRateHz = 22050, IsSilent = false, TempoBpm = 100, Energy = 0.5,
                MfccMeans = [.. Enumerable.Repeat(0.0, 13)], MfccStandardDeviations = [.. Enumerable.Repeat(1.0, 13)],
            });
        }
    }

    [Fact]
    public async Task TextsFromAFolderAndACsvReachTheirTracksShowTopTermsAndMakeSearchableSpaces()
    {
        Library();
        Directory.CreateDirectory(_dir.File("texts"));
        File.WriteAllText(_dir.File("texts/Air.md"), "Air are a French electronic duo: dreamy, lush analogue synths, calm melodies and vocoders.");
        File.WriteAllText(_dir.File("texts/Bjork.txt"), "Icelandic singer; dreamy electronic beats under sweeping strings and calm melodies.");
        File.WriteAllText(_dir.File("texts/Nobody.txt"), "A band the library does not have.");
        var csv = _dir.File("more.csv");
        File.WriteAllText(csv, "item,text\nSlayer,\"Thrash metal: loud, fast guitars,\nfast drums, shouting\"\nalbum:Moon Safari,a debut album: warm vocoders\n");
        var r = await CliRunner.RunAsync("import", "text", _dir.File("texts"), csv, "--db", Db);
        Assert.Equal(0, r.ExitCode);
        var said = r.Out.Replace("\n", "", StringComparison.Ordinal);
        Assert.Contains("1 album, 3 artists, 4 added or changed", said, StringComparison.Ordinal);
        Assert.Contains($"{_dir.File("texts/Nobody.txt")}:1: no artist, album or track matches \"Nobody\"", said, StringComparison.Ordinal);

        var again = await CliRunner.RunAsync("import", "text", _dir.File("texts"), csv, "--db", Db, "--json");
        Assert.Equal(0, JsonDocument.Parse(again.Out).RootElement.GetProperty("written").GetInt32()); // nothing changes

        var terms = await CliRunner.RunAsync("tags", "sexy boy", "--terms", "--json", "--db", Db);
        Assert.Equal(0, terms.ExitCode);
        using (var j = JsonDocument.Parse(terms.Out))
        {
            var words = j.RootElement.GetProperty("terms").EnumerateArray().Select(t => t.GetProperty("word").GetString()).ToList();
            Assert.Equal("vocoders", words[0]); // said in both texts that reach it (its album's and its artist's), by nobody else
            Assert.Contains("french", words);
            Assert.Equal(["album Moon Safari", "artist Air"], j.RootElement.GetProperty("texts").EnumerateArray().Select(t => t.GetString()));
        }

        // Jóga shares "dreamy", "electronic", "calm melodies" with Air and nothing with Slayer
        var similar = await CliRunner.RunAsync("similar", "joga", "--space", "text", "--json", "--db", Db);
        Assert.True(similar.ExitCode == 0, similar.Err);
        using (var j = JsonDocument.Parse(similar.Out))
        {
            var artists = j.RootElement.GetProperty("results").EnumerateArray().Select(t => t.GetProperty("artist").GetString()).ToList();
            Assert.Equal(["Air", "Air", "Slayer"], artists);
        }
        var tags = await CliRunner.RunAsync("similar", "angel", "--space", "tags", "--json", "--db", Db);
        Assert.Equal(0, tags.ExitCode);
        Assert.Equal("tags", JsonDocument.Parse(tags.Out).RootElement.GetProperty("space").GetString());
    }

    [Fact]
    public async Task AMalformedRowRefusesEveryFileOfTheImportAndAnEmptyTextSpaceSaysWhatFillsIt()
    {
        Library();
        var good = _dir.File("good.csv");
        File.WriteAllText(good, "Air,dreamy synths\n");
        var bad = _dir.File("bad.csv");
        File.WriteAllText(bad, "Slayer,loud guitars\nBjork\n");
        var r = await CliRunner.RunAsync("import", "text", good, bad, "--db", Db);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains($"{bad}:2: 1 field: expected item,text", r.Err.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var similar = await CliRunner.RunAsync("similar", "joga", "--space", "text", "--db", Db);
        Assert.Equal(2, similar.ExitCode); // nothing was imported, not even good.csv
        Assert.Contains("earworm import text", similar.Err, StringComparison.Ordinal);
    }
}
