using Earworm.Testing;

namespace Earworm.Cli.Tests;

public class OffPolicyEvaluateTests
{
    [Fact]
    public async Task SimulatesWritesItsLogAndEstimatesFromIt()
    {
        using var dir = new TempDirectory();
        var sim = await CliRunner.RunAsync("evaluate", "--protocol", "off-policy", "--simulate", "--seeds", "2", "--policy", "greedy", "softmax:0.5",
            "--report", dir.File("sim"), "--save-log", dir.File("logs/log.jsonl"));
        Assert.True(sim.ExitCode == 0, sim.Err);
        foreach (var text in new[] { "## greedy (1)", "## softmax (tau=0.5)", "| DR |", "coverage", "## Drift race" }) Assert.Contains(text, sim.Out, StringComparison.Ordinal);
        foreach (var file in new[] { "sim/report.md", "sim/report.json", "sim/drift-race.png", "logs/log.jsonl" }) Assert.True(File.Exists(dir.File(file)), file);

        var fromLog = await CliRunner.RunAsync("evaluate", "--protocol", "off-policy", "--log", dir.File("logs/log.jsonl"), "--policy", "greedy,linucb", "--json");
        Assert.True(fromLog.ExitCode == 0, fromLog.Err);
        Assert.Contains("\"source\": \"log.jsonl\"", fromLog.Out, StringComparison.Ordinal);
        Assert.Contains("\"policy\": \"linucb\"", fromLog.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALogWithoutPropensitiesIsRefusedWithFileAndLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("log.jsonl"), [
            """{"user":"a","candidates":[{"item":"x","score":1}],"chosen":0,"propensity":1,"reward":1}""",
            """{"user":"a","candidates":[{"item":"x","score":1}],"chosen":0,"reward":0}""",
        ]);
        var r = await CliRunner.RunAsync("evaluate", "--protocol", "off-policy", "--log", dir.File("log.jsonl"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{dir.File("log.jsonl")}:2: no propensity", r.Err, StringComparison.Ordinal);
        Assert.Equal("", r.Out);
    }

    [Theory]
    [InlineData("--protocol", "off-policy")]
    [InlineData("--protocol", "off-policy", "--simulate", "--log", "x.jsonl")]
    [InlineData("--protocol", "warm,off-policy", "--simulate")]
    [InlineData("--protocol", "warm", "--simulate")]
    [InlineData("--protocol", "off-policy", "--simulate", "--policy", "ucb1")]
    public async Task MisusedOptionsAreUsageErrors(params string[] args)
    {
        var r = await CliRunner.RunAsync(["evaluate", .. args]);
        Assert.True(r.ExitCode == 2, r.Err);
    }

    [Fact]
    public async Task AnUnknownPolicyIsRefusedBeforeTheLogIsRead()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("log.jsonl"), "not a log at all\n");   // read first, it would be refused as malformed (exit 1)
        var r = await CliRunner.RunAsync("evaluate", "--protocol", "off-policy", "--log", dir.File("log.jsonl"), "--policy", "ucb1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("ucb1", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("log.jsonl:1", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BothSourcesAreRefusedAsBothNotAsNeither()
    {
        var r = await CliRunner.RunAsync(["evaluate", "--protocol", "off-policy", "--simulate", "--log", "x.jsonl"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--simulate and --log are two sources of decisions: give one of them", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("needs either", r.Err, StringComparison.Ordinal);
    }
}
