using System.Globalization;
using System.Text;
using System.Text.Json;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary><c>recommend --next</c> and <c>playlist --continue</c> from the command line: listeners whose sessions (an
/// hour apart) always run c0 → c3 → c1 → c4 → c2 → c5 → c0, so the next item is known.</summary>
public sealed class NextCommandTests : IDisposable
{
    private static readonly int[] Cycle = [0, 3, 1, 4, 2, 5];
    private readonly TempDirectory _dir = new();
    private string Db => _dir.File("catalog.db");

    public void Dispose() => _dir.Dispose();

    private Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync(["--db", Db, .. args]);

    /// <summary>Writes the listens; returns the item the last session of u0 ended on.</summary>
    private int WriteListens()
    {
        var csv = new StringBuilder("user,item,count,timestamp\n");
        var rng = new Random(5);
        long t = 1_700_000_000;
        int last = -1;
        for (int u = 0; u < 12; u++)
            for (int session = 0; session < 3; session++)
            {
                t += 7200;
                int start = rng.Next(6), length = 3 + rng.Next(3); // under 6: the successor of the last is not in the session
                for (int k = 0; k < length; k++)
                {
                    last = u == 0 ? Cycle[(start + k) % 6] : last;
                    csv.Append(CultureInfo.InvariantCulture, $"u{u},c{Cycle[(start + k) % 6]},1,{t + 200 * k}\n");
                }
            }
        File.WriteAllText(_dir.File("plays.csv"), csv.ToString());
        return last;
    }

    [Theory]
    [InlineData("--negatives 5", "--negatives goes with a sampled loss (--loss bce, bpr-max or softmax)")]
    [InlineData("--window 5", "--window goes with --target window")]
    [InlineData("--patience 2", "--patience goes with a validation share (--validation)")]
    [InlineData("--own-dropout 0.5 --side-features false", "--own-dropout goes with side features (--side-features)")]
    [InlineData("--model gru4rec --heads 2", "--heads is SASRec's: gru4rec has no attention")]
    public async Task TrainingRefusesAnOptionTheOthersLeaveUnread(string options, string said)
    {
        var r = await Run(["train", "sequence", .. options.Split(' ')]);
        Assert.Equal(2, r.ExitCode);   // was trained as if the option had not been given
        Assert.Contains(said, r.Err, StringComparison.Ordinal);
        // with what reads it, the option passes (this catalog has nothing to learn from: that is said instead)
        Assert.DoesNotContain("goes with", (await Run("train", "sequence", "--loss", "bpr-max", "--negatives", "5")).Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--explain")]
    [InlineData("--diversity", "0.5")]
    public async Task NextRefusesTheCfOptionsItWouldIgnore(params string[] option)
    {
        var r = await Run(["recommend", "--next", "--after", "1", .. option]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--next ranks by the order of listening and takes neither", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextAfterAListenersLatestSessionAndClearErrorsWithoutAModel()
    {
        int last = WriteListens();
        Assert.Equal(0, (await Run("import", "csv", _dir.File("plays.csv"))).ExitCode);
        var none = await Run("recommend", "--next", "--user", "u0");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("earworm train sequence", none.Err, StringComparison.Ordinal);
        Assert.Equal(2, (await Run("recommend", "--after", "1")).ExitCode); // --after without --next

        var train = await Run("train", "sequence", "--model", "gru4rec", "--embedding", "8", "--layers", "1", "--max-length", "8", "--epochs", "20",
            "--batch-size", "8", "--learning-rate", "0.02", "--dropout", "0", "--torch-threads", "1");
        Assert.True(train.ExitCode == 0, train.Err);
        var next = await Run("recommend", "--next", "--user", "u0", "--count", "2", "--json");
        Assert.True(next.ExitCode == 0, next.Err);
        var root = JsonDocument.Parse(next.Out).RootElement;
        Assert.Equal("gru4rec", root.GetProperty("model").GetString());
        Assert.EndsWith($"c{last}", root.GetProperty("history").EnumerateArray().Last().GetProperty("label").GetString(), StringComparison.Ordinal);
        int successor = Cycle[(Array.IndexOf(Cycle, last) + 1) % 6];
        Assert.EndsWith($"c{successor}", root.GetProperty("next")[0].GetProperty("label").GetString(), StringComparison.Ordinal);

        var noItem = await Run("recommend", "--next", "--after", "item:99999999");
        Assert.NotEqual(0, noItem.ExitCode);
        Assert.Contains("no item 99999999 in this catalog", noItem.Err, StringComparison.Ordinal);   // was "the model knows none of the tracks named"

        var table = await Run("recommend", "--next", "--user", "u0", "--count", "2");
        Assert.Contains("u0's latest session", table.Out, StringComparison.Ordinal);
        var missing = await Run("playlist", "--continue", "no such list");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no playlist \"no such list\"", missing.Err, StringComparison.Ordinal);
    }
}
