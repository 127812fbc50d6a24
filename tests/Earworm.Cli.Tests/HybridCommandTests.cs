using System.Text.Json;
using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary><c>train cf --model hybrid</c> and <c>evaluate --models hybrid</c> on the HetRec-format sample (artists with tags).</summary>
public sealed class HybridCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Db => _dir.File("catalog.db");

    private static string Sample => TestData.FixtureDir("lastfm-2k-sample");

    [Fact]
    public async Task TrainsFromTheImportedArtistsTagsThenIsUpToDateAndRefusesAnUnknownLoss()
    {
        var import = await CliRunner.RunAsync("import", "lastfm-2k", Sample, "--db", Db);
        Assert.True(import.ExitCode == 0, import.Err);
        string[] train = ["train", "cf", "--model", "hybrid", "--factors", "8", "--epochs", "3", "--threads", "1", "--db", Db];
        var first = await CliRunner.RunAsync(train);
        Assert.True(first.ExitCode == 0, first.Err);
        Assert.Contains("hybrid features:", first.Err + first.Out, StringComparison.Ordinal);
        using (var catalog = CatalogStore.Open(Db))
        {
            var model = catalog.CurrentModel("cf")!;
            Assert.Equal("hybrid", model.Kind);
            Assert.Equal(catalog.ListeningCounts().Items, catalog.LoadItemVectors("cf").Count); // every listened artist has a vector
        }
        var again = await CliRunner.RunAsync(train);
        Assert.Contains("up to date", again.Out + again.Err, StringComparison.OrdinalIgnoreCase);
        var bad = await CliRunner.RunAsync("train", "cf", "--model", "hybrid", "--loss", "hinge", "--db", Db);
        Assert.Equal(2, bad.ExitCode);

        // texts about the listened artists (no library tracks) are features too: a new text, a new model
        var texts = _dir.File("bios.csv");
        File.WriteAllText(texts, "Beyoncé,American singer of soulful rhythm and blues ballads\nGuns N' Roses,hard rock band: soulful rhythm, loud guitars\n");
        var imported = await CliRunner.RunAsync("import", "text", texts, "--db", Db);
        Assert.True(imported.ExitCode == 0, imported.Err);
        Assert.Contains("2 artists", imported.Out.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var withTexts = await CliRunner.RunAsync(train);
        Assert.True(withTexts.ExitCode == 0, withTexts.Err);
        Assert.Matches(@"hybrid features: \d+ tags and [1-9]\d* text terms", withTexts.Err + withTexts.Out);
    }

    [Fact]
    public async Task EvaluatesColdStartFromTheFoldersTags()
    {
        var r = await CliRunner.RunAsync("evaluate", "--dataset", Sample, "--protocol", "cold-start", "--models", "hybrid,random",
            "--seeds", "1", "--factors", "8", "--epochs", "3", "--json", "--db", Db);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("the hybrid model learns from", r.Err + r.Out, StringComparison.Ordinal);
        Assert.Contains("\"hybrid\"", r.Out, StringComparison.Ordinal);
    }
}
