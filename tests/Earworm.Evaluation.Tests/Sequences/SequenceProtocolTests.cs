using Earworm.Catalog;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Reports;
using Earworm.Evaluation.Sequences;
using Earworm.Learning.Sequences;

namespace Earworm.Evaluation.Tests.Sequences;

public sealed class SequenceProtocolTests
{
    [Fact]
    public void RPrecisionAndClicksFollowTheChallengesDefinitions()
    {
        int[] relevant = [3, 7, 9];
        Assert.Equal(2 / 3.0, ContinuationMetrics.RPrecision([7, 1, 9, 3], relevant), 12);
        Assert.Equal(0, ContinuationMetrics.Clicks([7, 1], relevant, 500));
        var list = Enumerable.Range(100, 25).Append(9).ToArray();
        Assert.Equal(2, ContinuationMetrics.Clicks(list, relevant, 500));  // rank 26: two refreshes of 10 first
        Assert.Equal(51, ContinuationMetrics.Clicks([1, 2], relevant, 500));
    }

    [Fact]
    public void TheCatalogsListensBecomeSessionsWithSkipsAndItsPlaylistsSequences()
    {
        ListeningRecord[] records =
        [
            new(10, 500, 1, 1000), new(10, 501, 0, 1100), new(10, 502, 1, 1200), new(10, 503, 3, null), new(11, 502, 1, 5000), new(11, 500, 1, 5100),
        ];
        var data = SequenceDataset.From(records, [new PlaylistItems(1, "p", null, [502, 504, 500])], TimeSpan.FromMinutes(30));
        Assert.Equal([500L, 501, 502, 504], data.Items.Ids);
        Assert.Equal(2, data.Sessions.Count);
        Assert.Equal([0, 1, 2], data.Sessions[0].Items);
        Assert.True(data.Sessions[0].IsSkipped(1));
        Assert.Equal([2, 3, 0], Assert.Single(data.Playlists).Items);
        Assert.Equal(1, data.Skips);
    }

    [Fact]
    public void ContinuationQuestionsGiveTheFirstNAndAskForTheRestWithoutThem()
    {
        var q = SequenceRunner.ContinuationQuestions([new Sequence([5, 1, 5, 2, 1, 8]), new Sequence([4, 4])], 2);
        var only = Assert.Single(q); // [4, 4] has nothing new after its first two
        Assert.Equal([5, 1], only.History);
        Assert.Equal([2, 8], only.Relevant);
        Assert.Equal([1, 5], only.Excluded);
        var next = SequenceRunner.NextItemQuestions([new Sequence([1, 2, 3, 4], [false, false, false, true])], everyPosition: false);
        Assert.Equal([1, 2], Assert.Single(next).History);
        Assert.Equal([3], next[0].Relevant);
        Assert.Equal(2, SequenceRunner.NextItemQuestions([new Sequence([1, 2, 3, 4], [false, false, false, true])], everyPosition: true).Count);
    }

    [Fact]
    public void OnMarkovSessionsAnOrderModelBeatsTheOrderBlindOnesAndTheReportSaysSo()
    {
        var sessions = MarkovSequences.Generate(new MarkovSequenceOptions { Sequences = 300, Seed = 5, Skip = 0.1 }, out int itemCount);
        var data = new SequenceDataset("markov", Items(itemCount), sessions, []);
        var reports = SequenceRunner.Run(data, _ => [new PopularityNextTrainer(), new SessionKnnTrainer(), new SequentialRulesTrainer()],
            SequenceProtocol.NextItem with { EveryPosition = true }, new EvaluationOptions { Seeds = 2 });
        var report = Assert.Single(reports);
        double Ndcg(string m) => report.Model(m)!.Get(MetricNames.Ndcg)!.Mean;
        Assert.True(Ndcg("sr") > 2 * Ndcg("sknn"), $"sr {Ndcg("sr"):F3}, sknn {Ndcg("sknn"):F3}");
        Assert.True(Ndcg("sknn") > 2 * Ndcg("pop"), $"sknn {Ndcg("sknn"):F3}, pop {Ndcg("pop"):F3}");
        var md = MarkdownReport.Write(report);
        Assert.Contains("| sr |", md, StringComparison.Ordinal);
        Assert.Contains("HR@10", md, StringComparison.Ordinal);
        Assert.Contains("300 listening sessions", md, StringComparison.Ordinal);
        Assert.Equal(report.Models.Count, JsonReport.Read(JsonReport.Write(report)).Models.Count);
    }

    [Fact]
    public void ContinuationReportsOneTablePerNumberOfSeedTracksAndNeverListsTheGivenOnes()
    {
        var lists = MarkovSequences.Generate(new MarkovSequenceOptions { Sequences = 200, MinLength = 12, MaxLength = 30, Seed = 6 }, out int itemCount);
        var data = new SequenceDataset("markov", Items(itemCount), [], lists);
        var reports = SequenceRunner.Run(data, _ => [new PopularityNextTrainer(), new SequentialRulesTrainer()],
            SequenceProtocol.PlaylistContinuation with { SeedCounts = [1, 5, 10] }, new EvaluationOptions { Seeds = 1 });
        Assert.Equal(["playlist-continuation, first 1", "playlist-continuation, first 5", "playlist-continuation, first 10"], reports.Select(r => r.Protocol));
        foreach (var r in reports)
        {
            var sr = r.Model("sr")!;
            Assert.InRange(sr.Get(MetricNames.RPrecision)!.Mean, 0, 1);
            Assert.True(sr.Get(MetricNames.RPrecision)!.Mean > r.Model("pop")!.Get(MetricNames.RPrecision)!.Mean);
            Assert.True(sr.Get(MetricNames.Clicks)!.Mean < r.Model("pop")!.Get(MetricNames.Clicks)!.Mean);
        }
        Assert.Throws<UsageException>(() => SequenceRunner.Run(data with { Playlists = [] }, _ => [new PopularityNextTrainer()], SequenceProtocol.PlaylistContinuation));
    }

    private static Earworm.Evaluation.Data.DenseIdMap<long> Items(int count) => Earworm.Evaluation.Data.DenseIdMaps.Range(count);
}
