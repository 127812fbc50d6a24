using System.CommandLine;
using Earworm.Cli.Commands;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;
using Earworm.Testing;
using Spectre.Console;

namespace Earworm.Cli.Tests;

/// <summary>The help texts say what the program does.</summary>
public class HelpTextTests
{
    private static async Task<string> HelpAsync(params string[] verb)
    {
        var r = await CliRunner.RunAsync([.. verb, "--help"]);
        Assert.Equal(0, r.ExitCode);
        return r.Out;
    }

    [Fact]
    public async Task SimilarListsEverySpaceAndWhatFillsIt()
    {
        var help = await HelpAsync("similar");
        foreach (var space in SpaceService.Names) Assert.Contains($"{space} (", help, StringComparison.Ordinal);
        Assert.Contains("the shipped encoder fills it at `earworm scan`", help, StringComparison.Ordinal);
        foreach (var verb in new[] { "playlist", "export", "dj" })
            Assert.Contains(string.Join(", ", SpaceService.Names), await HelpAsync(verb), StringComparison.Ordinal);
    }

    [Fact]
    public void NoVerbTakesAnOptionTwice()
    {
        var root = CliApp.Build(p => new CliContext(p, TextWriter.Null, TextWriter.Null, false));
        var commands = new Stack<Command>([root]);
        while (commands.TryPop(out var command))
        {
            var names = command.Options.SelectMany(o => o.Aliases.Append(o.Name)).ToList();
            var twice = names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"{command.Name} takes {string.Join(", ", twice)} twice");
            foreach (var sub in command.Subcommands) commands.Push(sub);
        }
    }

    [Fact]
    public async Task TrainCfDescribesItsLearningRateOnce()
    {
        var help = await HelpAsync("train", "cf");
        Assert.Single(help.Split('\n'), line => line.TrimStart().StartsWith("--learning-rate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InspectModelTakesTheFolderItsHelpNames()
    {
        Assert.Contains("model [<DIR>]", await HelpAsync("inspect", "model"), StringComparison.Ordinal);
        using var dir = new TempDirectory();
        // the folder given as DIR is taken: what stops it is the missing catalog, not a missing --out
        var r = await CliRunner.RunAsync("inspect", "model", dir.File("out"), "--db", dir.File("none.db"));
        Assert.Equal(2, r.ExitCode);
        Assert.DoesNotContain("--out", r.Err, StringComparison.Ordinal);
        Assert.Contains("no catalog", r.Err, StringComparison.Ordinal);
        var neither = await CliRunner.RunAsync("inspect", "model", "--db", dir.File("none.db"));
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("earworm inspect model DIR", neither.Err, StringComparison.Ordinal);
        var both = await CliRunner.RunAsync("inspect", "model", dir.File("a"), "--out", dir.File("b"), "--db", dir.File("none.db"));
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("not both", both.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlaylistHelpSaysHowFarEnergyMayGoTheOtherWay()
    {
        var help = await HelpAsync("playlist");
        Assert.Contains($"less {PlaylistConstraints.EnergyTolerance}", help, StringComparison.Ordinal);
        Assert.Contains($"within ±{PlaylistConstraints.SteadyEnergyBand}", help, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePlaylistTableNamesItsSimilarityToThePreviousTrackAsTheJsonDoes()
    {
        var playlist = new PlaylistResult("keep-playing", "descriptors", "", [
            new PlaylistEntry(1, 1, "/a.mp3", "A", "One", 60, "seed", null, null, 120, 0.5, "8A", ["seed"]),
            new PlaylistEntry(2, 2, "/b.mp3", "B", "Two", 60, "next", -0.4, -0.25, 121, 0.5, "8A", ["near the last track (distance 0.40)"], 0.71),
        ], [], []);
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No });
        console.Profile.Width = 240;
        PlaylistCommand.Print(console, playlist);
        var output = text.ToString();
        Assert.Contains("sim→prev", output, StringComparison.Ordinal);
        Assert.Contains("-0.25", output, StringComparison.Ordinal);
        Assert.Contains("JSON similarityToPrevious", output, StringComparison.Ordinal);
        Assert.Contains("\"similarityToPrevious\": -0.25", PlaylistWriter.JsonText(playlist), StringComparison.Ordinal);
    }
}
