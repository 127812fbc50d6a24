using System.CommandLine;

namespace Earworm.Cli.Tests;

/// <summary>What a person types wrong is bad usage in their words, on every verb: empty texts, numbers and choices.</summary>
public class ValueRulesTests
{
    [Theory]
    [InlineData("describe", "")]
    [InlineData("describe", "   ")]
    [InlineData("tags", "")]
    [InlineData("playlist", "")]
    [InlineData("playlist", "25", "--exclude", "")]
    [InlineData("playlist", "25", "--exclude", "  ")]
    [InlineData("recommend", "--next", "--after", "")]
    [InlineData("scan", "")]
    [InlineData("import", "csv", "")]
    [InlineData("export", "--out", "")]
    [InlineData("similar", "")]
    [InlineData("playlist", "--text", "")]
    [InlineData("playlist", "--continue", "")]
    [InlineData("status", "--db", "")]
    public async Task AnEmptyTextIsBadUsageNotACrash(params string[] args)
    {
        var r = await CliRunner.RunAsync(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("is empty", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "train", "tags", "--mixup", "0.3" }, "--mixup is a network's option: add --network")]
    [InlineData(new[] { "train", "tags", "--init-from", "models/autotag" }, "--init-from is a network's option: add --network")]
    [InlineData(new[] { "train", "tags", "--network", "--hidden", "32" }, "--hidden is the head's option")]
    public async Task TrainTagsRefusesTheOptionsItWouldLeaveUnread(string[] args, string expected)
    {
        var r = await CliRunner.RunAsync(args);   // were ignored
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "similar", "25", "--count", "abc" }, "--count: \"abc\" is not a whole number")]
    [InlineData(new[] { "similar", "25", "--count", "2.5" }, "--count: \"2.5\" is not a whole number")]
    [InlineData(new[] { "playlist", "25", "--energy", "up" }, "--energy: \"up\" is not one of rising, falling, steady")]
    [InlineData(new[] { "playlist", "25", "--energy", "1" }, "--energy: \"1\" is not one of rising, falling, steady")]
    [InlineData(new[] { "similar", "25", "--index", "fast" }, "--index: \"fast\" is not one of auto, exact, hnsw")]
    [InlineData(new[] { "playlist", "25", "--drunk", "lots" }, "--drunk: \"lots\" is not a number")]
    [InlineData(new[] { "playlist", "25", "--max-minutes", "ten" }, "--max-minutes: \"ten\" is not a number")]
    public async Task NumbersAndChoicesAreReadInWords(string[] args, string expected)
    {
        var r = await CliRunner.RunAsync(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"earworm: {expected}", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Cannot parse", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChoicesAndNumbersStillParse()
    {
        var root = CliApp.Build(p => new CliContext(p, TextWriter.Null, TextWriter.Null, false));
        var parse = root.Parse(["playlist", "25", "--energy", "Rising", "--drunk", "0.25", "--max-minutes", "12", "--length", "7"]);
        Assert.Empty(parse.Errors);
        Assert.Equal(Recommend.Playlists.EnergyTrend.Rising, parse.GetValue<Recommend.Playlists.EnergyTrend?>("--energy"));
        Assert.Equal(0.25, parse.GetValue<double>("--drunk"));
        Assert.Equal(12.0, parse.GetValue<double?>("--max-minutes"));
        Assert.Equal(7, parse.GetValue<int?>("--length"));
        Assert.Equal(3, parse.GetValue<int>("--keep-on")); // a default is untouched
        Assert.Empty(root.Parse(["import", "csv", "x.csv", "--delimiter", "\t"]).Errors); // a tab may be blank
    }

    /// <summary>Every verb, present and future: each text option refuses "", each number option "abc", in words.</summary>
    [Fact]
    public void EveryOptionOfEveryVerbKeepsTheRules()
    {
        var root = CliApp.Build(p => new CliContext(p, TextWriter.Null, TextWriter.Null, false));
        int checkedOptions = 0;
        foreach (var (path, command) in Commands(root, []))
        {
            foreach (var option in command.Options.Concat(root.Options.Where(o => o.Recursive)).Distinct())
            {
                var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
                string? bad = type == typeof(string) || type == typeof(string[]) ? "" :
                    type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(float) || type.IsEnum ? "abc" : null;
                if (bad is null || option.Name is "--delimiter" or "--password") continue;
                var errors = root.Parse([.. path, option.Name, bad]).Errors.Select(e => e.Message).ToList();
                string expected = bad == "" ? $"{option.Name} is empty" : $"{option.Name}: \"abc\" is not ";
                Assert.True(errors.Any(m => m.StartsWith(expected, StringComparison.Ordinal)),
                    $"{string.Join(' ', path)} {option.Name} \"{bad}\": {string.Join(" | ", errors)}");
                Assert.DoesNotContain(errors, m => m.Contains("System.", StringComparison.Ordinal));
                checkedOptions++;
            }
            if (command.Arguments.FirstOrDefault() is { } first && (first.ValueType == typeof(string) || first.ValueType == typeof(string[])))
            {
                var errors = root.Parse([.. path, ""]).Errors.Select(e => e.Message).ToList();
                Assert.True(errors.Any(m => m.EndsWith("is empty", StringComparison.Ordinal)), $"{string.Join(' ', path)} \"\": {string.Join(" | ", errors)}");
            }
        }
        Assert.True(checkedOptions > 150, $"{checkedOptions} options checked");
    }

    private static IEnumerable<(List<string> Path, Command Command)> Commands(Command command, List<string> path)
    {
        if (command is not RootCommand) yield return (path, command);
        foreach (var sub in command.Subcommands)
            foreach (var x in Commands(sub, [.. path, sub.Name])) yield return x;
    }
}
