using System.Globalization;
using System.Text;
using System.Text.Json;
using Earworm.Catalog;
using Earworm.Learning.Factorization;
using Earworm.Learning.Persistence;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary>train cf --tune and the binary-data defaults on a small catalog: two taste groups of thirty listeners, each with
/// six of their group's ten items, every pair counted once (binary data).</summary>
public sealed class TrainTuneTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private string Db => _dir.File("catalog.db");

    private const string Grid = "alpha=0.5,4;regularization=0.1;factors=1,4;iterations=5";

    public TrainTuneTests()
    {
        using (CatalogStore.Open(Db)) { }
        var csv = new StringBuilder("user,item,count\n");
        var rng = new Random(3);
        foreach (var group in new[] { "a", "b" })
            for (int u = 0; u < 30; u++)
                foreach (var i in Enumerable.Range(0, 10).OrderBy(_ => rng.Next()).Take(6))
                    csv.Append(CultureInfo.InvariantCulture, $"u{group}{u},{group}{i},1\n");
        File.WriteAllText(_dir.File("likes.csv"), csv.ToString());
    }

    public void Dispose() => _dir.Dispose();

    private Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync(["--db", Db, .. args]);

    private async Task Import()
    {
        var import = await Run("import", "csv", _dir.File("likes.csv"));
        Assert.True(import.ExitCode == 0, import.Err);
    }

    private ModelRecord CurrentCf()
    {
        using var catalog = CatalogStore.Open(Db);
        return catalog.CurrentModel("cf")!;
    }

    [Fact]
    public async Task Tune_prints_its_search_keeps_the_chosen_values_and_is_then_up_to_date()
    {
        await Import();
        var tuned = await Run("train", "cf", "--tune", "--tune-grid", Grid, "--threads", "1");
        Assert.True(tuned.ExitCode == 0, tuned.Err);
        Assert.Contains("ALS hyper-parameter search", tuned.Out, StringComparison.Ordinal);
        Assert.Contains("(the data is binary: every count 1)", tuned.Out, StringComparison.Ordinal);
        Assert.Equal(4, tuned.Out.Split('\n').Count(l => l.StartsWith("| linear |", StringComparison.Ordinal) || l.StartsWith("| **linear** |", StringComparison.Ordinal)));
        Assert.Contains("4/4 linear", tuned.Err, StringComparison.Ordinal);
        Assert.Contains("with the values its search chose", tuned.Out, StringComparison.Ordinal);

        // the chosen values are the model's: in its parameters (so its version), in the catalog and in the model file
        var model = CurrentCf();
        using var json = JsonDocument.Parse(model.ParamsJson);
        var options = json.RootElement.GetProperty("options");
        Assert.Equal(4, options.GetProperty("factors").GetInt32());   // one factor cannot tell two groups apart
        Assert.Equal("linear", options.GetProperty("scaling").GetString());
        Assert.StartsWith("als-search-", json.RootElement.GetProperty("tuning").GetString(), StringComparison.Ordinal);
        Assert.Contains("validationNdcg", model.MetricsJson!, StringComparison.Ordinal);
        var saved = ModelFile.Load(model.FilePath!);
        Assert.Equal(model.ParamsJson, saved.Metadata["params"]);
        Assert.Equal(4, JsonDocument.Parse(saved.Metadata["search"]).RootElement.GetProperty("rows").GetArrayLength());
        Assert.Equal(4, ((AlsModel)saved.Model).Options.Factors);

        var again = await Run("train", "cf", "--tune", "--tune-grid", Grid, "--threads", "1");
        Assert.True(again.ExitCode == 0, again.Err);
        Assert.Contains("up to date (chosen by the same search", again.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("validation NDCG", again.Err, StringComparison.Ordinal);
        Assert.Equal(model.Version, CurrentCf().Version);

        // another search that can only choose other values gives another model
        var other = await Run("train", "cf", "--tune", "--tune-grid", "alpha=2;regularization=0.1;factors=4;iterations=5", "--threads", "1");
        Assert.True(other.ExitCode == 0, other.Err);
        Assert.NotEqual(model.Version, CurrentCf().Version);
    }

    [Fact]
    public async Task Binary_data_gets_the_binary_defaults_and_says_why()
    {
        await Import();
        var train = await Run("train", "cf", "--factors", "4", "--iterations", "3", "--threads", "1");
        Assert.True(train.ExitCode == 0, train.Err);
        Assert.Contains("ALS defaults for binary data", train.Err, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(CurrentCf().ParamsJson);
        var options = json.RootElement.GetProperty("options");
        Assert.Equal("linear", options.GetProperty("scaling").GetString());
        Assert.Equal(5f, options.GetProperty("alpha").GetSingle());

        // a value given is kept, and nothing is said of the defaults when none is taken
        var given = await Run("train", "cf", "--factors", "4", "--iterations", "3", "--threads", "1", "--scaling", "log", "--alpha", "2", "--regularization", "1");
        Assert.True(given.ExitCode == 0, given.Err);
        Assert.DoesNotContain("ALS defaults", given.Err, StringComparison.Ordinal);
        Assert.Contains("\"scaling\":\"log\"", CurrentCf().ParamsJson, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--model", "bpr")]
    [InlineData("--alpha", "3")]
    [InlineData("--factors", "8")]
    [InlineData("--tune-grid", "gamma=1")]
    [InlineData("--tune-folds", "0")]
    public async Task Tune_refuses_what_it_cannot_search(string option, string value)
    {
        await Import();
        var r = await Run("train", "cf", "--tune", option, value, "--threads", "1");
        Assert.Equal(2, r.ExitCode);
    }

    [Fact]
    public async Task No_folds_is_said_in_the_options_words()
    {
        await Import();
        var r = await Run("train", "cf", "--tune", "--tune-folds", "0", "--threads", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--tune-folds must be at least 1, got 0", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", r.Err, StringComparison.Ordinal);
    }
}
