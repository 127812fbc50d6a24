using Earworm.Evaluation.OffPolicy;
using Earworm.Evaluation.Reports;
using Earworm.Testing;

namespace Earworm.Evaluation.Tests.OffPolicy;

public class DecisionLogTests
{
    [Fact]
    public void ALogRoundTripsAndIsEvaluatedFromTheFile()
    {
        using var dir = new TempDirectory();
        var (log, logging) = BanditSimulation.SampleLog(new BanditSimulationOptions { LoggedDecisions = 400 }, 2);
        DecisionLog.Write(dir.File("log.jsonl"), log, logging);
        var read = DecisionLog.Read(dir.File("log.jsonl"));
        Assert.Equal(log.Count, read.Decisions.Count);
        Assert.Equal("softmax (tau=1)", read.LoggingPolicy);
        Assert.Equal(9, read.FeatureDimensions);
        for (int i = 0; i < log.Count; i++)
        {
            Assert.Equal(log[i].Propensity, read.Decisions[i].Propensity);
            Assert.Equal(log[i].Reward, read.Decisions[i].Reward);
            Assert.Equal(log[i].Context.Arms[log[i].Chosen].Score, read.Decisions[i].Context.Arms[read.Decisions[i].Chosen].Score);
        }
        var report = OffPolicyEvaluator.EvaluateLog(read, "log.jsonl", ["greedy", "thompson", "linucb"]);
        Assert.Equal(3, report.Targets.Count);
        Assert.All(report.Targets, t => Assert.Null(t.Truth));
        var written = OffPolicyReports.Write(report, dir.File("report"));
        Assert.All(written, f => Assert.True(File.Exists(f)));
        var md = File.ReadAllText(dir.File("report/report.md"));
        Assert.Contains("| SNIPS |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("coverage", md, StringComparison.Ordinal);
        var back = OffPolicyReports.ReadJson(File.ReadAllText(dir.File("report/report.json")));
        Assert.Equal(report.Targets[0].Estimators[2].Value, back.Targets[0].Estimators[2].Value);
    }

    [Theory]
    [InlineData("""{"user":"a","candidates":[{"item":"x","score":1}],"chosen":0,"reward":1}""", "no propensity")]
    [InlineData("""{"user":"a","candidates":[{"item":"x","score":1}],"chosen":0,"propensity":null,"reward":1}""", "no propensity")]
    [InlineData("""{"user":"a","candidates":[{"item":"x","score":1}],"chosen":0,"propensity":0,"reward":1}""", "propensity 0 outside (0, 1]")]
    [InlineData("""{"user":"a","candidates":[{"item":"x","score":1}],"chosen":1,"propensity":1,"reward":1}""", "chosen 1 is not the index")]
    [InlineData("""{"user":"a","candidates":[{"item":"x","score":1}],"chosen":0,"propensity":1}""", "no reward")]
    [InlineData("""not json""", "not JSON")]
    public void ABadLineIsRefusedWithItsFileAndLine(string bad, string why)
    {
        using var dir = new TempDirectory();
        var good = """{"user":"a","policy":"greedy","candidates":[{"item":"x","score":1},{"item":"y","score":0}],"chosen":0,"propensity":1,"reward":1}""";
        var path = dir.File("log.jsonl");
        File.WriteAllLines(path, [good, good, bad, good]);
        var e = Assert.Throws<DatasetFormatException>(() => DecisionLog.Read(path));
        Assert.StartsWith($"{path}:3: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }
}
