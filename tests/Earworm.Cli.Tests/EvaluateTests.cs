using System.Text;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

public class EvaluateTests
{
    // 40 users in two taste groups over 20 artists: ALS must find the groups, popularity cannot.
    private static string WriteDataset(TempDirectory dir)
    {
        var sb = new StringBuilder("userID\tartistID\tweight\n");
        var rng = new Random(5);
        for (int u = 1; u <= 40; u++)
        {
            int first = u % 2 == 0 ? 100 : 200;
            foreach (var a in Enumerable.Range(first, 10).OrderBy(_ => rng.Next()).Take(7))
                sb.Append(u).Append('\t').Append(a).Append('\t').Append(rng.Next(1, 500)).Append('\n');
        }
        File.WriteAllText(dir.File("user_artists.dat"), sb.ToString());
        return dir.Path;
    }

    [Fact]
    public async Task ReportsEveryModelWithItsProtocol()
    {
        using var dir = new TempDirectory();
        var data = WriteDataset(dir);
        var r = await CliRunner.RunAsync("evaluate", "--dataset", data, "--protocol", "leave-one-out", "--models", "als,pop,random",
            "--seeds", "2", "--factors", "8", "--iterations", "5", "--report", dir.File("report"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("leave-one-out", r.Out, StringComparison.OrdinalIgnoreCase);
        foreach (var model in new[] { "| als |", "| pop |", "| random |" }) Assert.Contains(model, r.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("report/report.md")));
        Assert.True(File.Exists(dir.File("report/report.json")));
    }

    [Fact]
    public async Task TuneAddsTheTunedAlsBesideTheDefaultAndReportsItsSearch()
    {
        using var dir = new TempDirectory();
        var r = await CliRunner.RunAsync("evaluate", "--dataset", WriteDataset(dir), "--models", "als,pop", "--seeds", "2",
            "--iterations", "5", "--tune", "--tune-grid", "scaling=log;alpha=1,4;regularization=0.1;factors=2,8", "--report", dir.File("report"));
        Assert.True(r.ExitCode == 0, r.Err);
        foreach (var model in new[] { "| als |", "| als-tuned |", "| pop |" }) Assert.Contains(model, r.Out, StringComparison.Ordinal);
        Assert.True(r.Out.IndexOf("| als |", StringComparison.Ordinal) < r.Out.IndexOf("| als-tuned |", StringComparison.Ordinal));
        // one search per split, each with its four configurations, and the validation figures while it runs
        var report = File.ReadAllText(dir.File("report/report.md"));
        foreach (var text in new[] { r.Out, report })
        {
            Assert.Contains("ALS hyper-parameter search", text, StringComparison.Ordinal);
            Assert.Contains("**Split seed 1.**", text, StringComparison.Ordinal);
            Assert.Contains("**Split seed 2.**", text, StringComparison.Ordinal);
            Assert.Equal(8, text.Split('\n').Count(l => l.StartsWith("| log |", StringComparison.Ordinal) || l.StartsWith("| **log** |", StringComparison.Ordinal)));
        }
        Assert.Contains("validation NDCG@10", r.Err, StringComparison.Ordinal);
        Assert.Contains("\"searches\"", File.ReadAllText(dir.File("report/report.json")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tune-grid", "alpha=1")]
    [InlineData("--tune-folds", "2")]
    public async Task TuneOptionsNeedTune(string option, string value)
    {
        using var dir = new TempDirectory();
        var r = await CliRunner.RunAsync("evaluate", "--dataset", WriteDataset(dir), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("go with --tune", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--models", "als,svd")]
    [InlineData("--tune-grid", "beta=1")]
    [InlineData("--protocol", "sideways")]
    public async Task BadChoicesAreBadUsage(string option, string value)
    {
        using var dir = new TempDirectory();
        var r = await CliRunner.RunAsync("evaluate", "--dataset", WriteDataset(dir), "--tune", option, value);
        Assert.Equal(2, r.ExitCode);
    }

    [Theory]
    [InlineData("warm", "als,pop,als", "als")]
    [InlineData("warm", "itemknn,itemknn-bm25", "itemknn-bm25")]
    [InlineData("next-item", "pop,sr,pop", "pop")]
    public async Task AModelNamedTwiceIsBadUsageNotACrash(string protocol, string models, string twice)
    {
        using var dir = new TempDirectory();
        var data = protocol == "next-item" ? "markov" : WriteDataset(dir);
        var r = await CliRunner.RunAsync("evaluate", "--dataset", data, "--protocol", protocol, "--models", models, "--seeds", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"--models names {twice} twice", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("warm", "--k", "0")]
    [InlineData("warm", "--seeds", "0")]
    [InlineData("next-item", "--seeds", "-1")]
    public async Task NoCutOffOrNoSplitIsBadUsageNotACrash(string protocol, string option, string value)
    {
        using var dir = new TempDirectory();
        var data = protocol == "next-item" ? "markov" : WriteDataset(dir);
        var r = await CliRunner.RunAsync("evaluate", "--dataset", data, "--protocol", protocol, "--models", "pop", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{option} must be at least 1, got {value}", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("warm")]
    [InlineData("next-item")]
    [InlineData("off-policy")]
    public async Task AReportPathThatIsAFileIsRefusedBeforeTheWork(string protocol)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("taken"), "");
        string[] source = protocol switch { "next-item" => ["--dataset", "markov"], "off-policy" => ["--simulate"], _ => ["--dataset", WriteDataset(dir)] };
        var r = await CliRunner.RunAsync(["evaluate", .. source, "--protocol", protocol, "--seeds", "1", "--report", dir.File("taken")]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("is a file: give a folder", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("training", r.Err, StringComparison.Ordinal); // nothing ran
    }

    [Theory]
    [InlineData("warm", "--every-position", null, "--every-position belongs to --protocol next-item")]
    [InlineData("warm", "--first", "5", "--first belongs to --protocol playlist-continuation")]
    [InlineData("next-item", "--first", "5", "--first belongs to --protocol playlist-continuation")]
    [InlineData("warm,warm", null, null, "--protocol names warm twice")]
    public async Task AnOptionOfAnotherProtocolOrAProtocolTwiceIsRefused(string protocol, string? option, string? value, string said)
    {
        using var dir = new TempDirectory();
        string[] extra = option is null ? [] : value is null ? [option] : [option, value];
        var r = await CliRunner.RunAsync(["evaluate", "--dataset", protocol == "next-item" ? "markov" : WriteDataset(dir), "--protocol", protocol,
            "--models", "pop", "--seeds", "1", .. extra]);
        Assert.Equal(2, r.ExitCode);   // was ignored (or, twice, ran twice into one report folder)
        Assert.Contains(said, r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--seq-epochs", "0", "--seq-epochs must be at least 1, got 0")]
    [InlineData("--seq-target", "window", "--seq-target window needs the full softmax (--seq-loss full)")]
    [InlineData("--torch-threads", "0", "--torch-threads must be at least 1")]
    public async Task TheSequenceOptionsAreSaidByTheNamesEvaluateTakes(string option, string value, string said)
    {
        string[] extra = option == "--seq-target" ? ["--seq-loss", "bce", "--seq-window", "3"] : [];
        var r = await CliRunner.RunAsync(["evaluate", "--dataset", "markov", "--protocol", "next-item", "--models", "sasrec", option, value, .. extra]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(said, r.Err, StringComparison.Ordinal);   // was "--epochs …" and "--loss full", evaluate's cf options
    }

    [Fact]
    public async Task AnUnknownProtocolIsAnsweredWithEveryProtocol()
    {
        var r = await CliRunner.RunAsync("evaluate", "--dataset", "markov", "--protocol", "sideways");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("expected one of warm, leave-one-out, temporal, cold-start, next-item, playlist-continuation, off-policy", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingDatasetIsBadUsage()
    {
        var r = await CliRunner.RunAsync("evaluate", "--dataset", "/no/such/folder");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no listening data", r.Err, StringComparison.Ordinal);
    }
}
