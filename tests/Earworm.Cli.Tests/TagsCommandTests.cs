using System.Text.Json;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary><c>import tags</c> and <c>tags</c> from the command line.</summary>
public sealed class TagsCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Db => _dir.File("catalog.db");

    private void Library()
    {
        using var catalog = CatalogStore.Open(Db);
        catalog.RecordDiscovered([new FoundFile("/music/air/kyoto.mp3", 1, 1), new FoundFile("/music/air/sexy.mp3", 1, 1),
            new FoundFile("/music/bjork/joga.mp3", 1, 1)], ["/music"], retryFailed: false);
        foreach (var (path, artist, title, genre) in new[]
        {
            ("/music/air/kyoto.mp3", "Air", "Alone in Kyoto", "Downtempo"), ("/music/air/sexy.mp3", "Air", "Sexy Boy", "Electronic"),
            ("/music/bjork/joga.mp3", "Björk", "Jóga", "Art Pop"),
        })
        {
            var t = catalog.FindByPath(path)!;
            catalog.SaveAnalysed(t.Id, new AnalysedTrack(1, 1, "h" + t.Id, new MediaInfo
            {
                Container = "mp3", Codec = "mp3", Artist = artist, Title = title, Tags = new Dictionary<string, string> { ["genre"] = genre },
            }, 1, 1, 1, null));
        }
    }

    private static List<(string Tag, double Score, string Source)> Tags(string json)
    {
        using var j = JsonDocument.Parse(json);
        return [.. j.RootElement.GetProperty("tags").EnumerateArray()
            .Select(t => (t.GetProperty("tag").GetString()!, t.GetProperty("score").GetDouble(), t.GetProperty("source").GetString()!))];
    }

    [Fact]
    public async Task ImportsTagsByIdArtistAndWordsListsThemWithSourcesAndReportsWhatMatchedNothing()
    {
        Library();
        var csv = _dir.File("tags.csv");
        File.WriteAllText(csv, "item,tag,weight\nAir,French House,2\nbjork joga,Icelandic\n1,Chill-Out\nnobody at all,rock\nAIR,french-house\n");
        var r = await CliRunner.RunAsync("import", "tags", csv, "--db", Db);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("3 tracks tagged", r.Out, StringComparison.Ordinal);
        Assert.Contains($"{csv}:5: no track, file or artist matches \"nobody at all\"", r.Out.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var kyoto = await CliRunner.RunAsync("tags", "1", "--json", "--db", Db);
        Assert.Equal(0, kyoto.ExitCode);
        Assert.Equal([("french house", 3.0, "import"), ("downtempo", 1.0, "file"), ("chill out", 1.0, "import")], Tags(kyoto.Out));

        var again = await CliRunner.RunAsync("import", "tags", csv, "--db", Db, "--json");
        Assert.Equal(0, JsonDocument.Parse(again.Out).RootElement.GetProperty("files")[0].GetProperty("tagsWritten").GetInt32()); // nothing changes

        var added = await CliRunner.RunAsync("tags", "joga", "--add", "Evening", "--json", "--db", Db);
        Assert.Equal([("art pop", 1.0, "file"), ("icelandic", 1.0, "import"), ("evening", 1.0, "user")], Tags(added.Out));
        var removed = await CliRunner.RunAsync("tags", "joga", "--remove", "EVENING", "--json", "--db", Db);
        Assert.DoesNotContain(("evening", 1.0, "user"), Tags(removed.Out));
    }

    [Fact]
    public async Task AMalformedRowRefusesTheFileWithFileAndLineAndImportsNothing()
    {
        Library();
        var csv = _dir.File("bad.csv");
        File.WriteAllText(csv, "1,piano\n2,drums,heavy\n");
        var r = await CliRunner.RunAsync("import", "tags", csv, "--db", Db);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains($"{csv}:2: the weight 'heavy' is not a positive number", r.Err.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var tags = await CliRunner.RunAsync("tags", "1", "--json", "--db", Db);
        Assert.DoesNotContain(Tags(tags.Out), t => t.Source == "import");
        var missing = await CliRunner.RunAsync("import", "tags", _dir.File("none.csv"), "--db", Db);
        Assert.Equal(2, missing.ExitCode);
    }
}
