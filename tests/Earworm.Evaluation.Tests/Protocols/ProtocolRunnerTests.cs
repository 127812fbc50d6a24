using Earworm.Evaluation.Data;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Tests.Fakes;
using Earworm.Learning;

namespace Earworm.Evaluation.Tests.Protocols;

public class ProtocolRunnerTests
{
    /// <summary>200 users × 300 items with Zipf-like item popularity: most listens go to few items, so popularity
    /// is a strong baseline and random a weak one.</summary>
    internal static InteractionDataset Skewed(int users = 200, int items = 300, int seed = 9)
    {
        var random = new Random(seed);
        var weights = Enumerable.Range(1, items).Select(r => 1.0 / r).ToArray();
        double total = weights.Sum();
        var records = new List<Interaction>();
        for (int u = 0; u < users; u++)
        {
            var mine = new HashSet<int>();
            int n = random.Next(5, 30);
            while (mine.Count < n)
            {
                double x = random.NextDouble() * total;
                int item = 0;
                while (item < items - 1 && (x -= weights[item]) > 0) item++;
                mine.Add(item);
            }
            foreach (int item in mine) records.Add(new Interaction(u, item, random.Next(1, 50)));
        }
        return new InteractionDataset("skewed", users, items, records);
    }

    private static readonly InteractionDataset Data = Skewed();
    private static readonly EvaluationOptions Quick = new() { Seeds = 2, CurveMaxK = 20 };

    [Fact]
    public void AnOracleScoresPerfectly()
    {
        // the split is deterministic, so a fake can know the held-out item of each seed's split in advance
        var options = Quick;
        var protocol = EvaluationProtocol.LeaveOneOut;
        var heldOut = options.SeedList.ToDictionary(seed => seed, seed => protocol.Split(Data, seed));
        var report = ProtocolRunner.Run(Data,
            seed => [new FixedRankingTrainer("oracle", u => heldOut[seed].TestItems(u).ToArray())], protocol, options);
        var oracle = Assert.Single(report.Models);
        foreach (var metric in new[] { MetricNames.Recall, MetricNames.Ndcg, MetricNames.Map, MetricNames.Mrr, MetricNames.HitRate, MetricNames.Auc })
        {
            Assert.Equal(1.0, oracle.Get(metric)!.Mean, 1e-12);
            Assert.Equal(0.0, oracle.Get(metric)!.Std, 1e-12);
        }
        Assert.Equal(0.1, oracle.Get(MetricNames.Precision)!.Mean, 1e-12);   // one hit in ten places
        Assert.Equal(1.0, oracle.Curves.Ndcg[0], 1e-12);
        Assert.Equal(1.0 / 20, oracle.Curves.Precision[19], 1e-12);
        Assert.Equal(heldOut[1].TestUsers.Count, oracle.Runs[0].EvaluatedUsers);
    }

    [Fact]
    public void PopularityBeatsRandomAndTheSummaryIsMeanAndSampleStd()
    {
        var report = ProtocolRunner.Run(Data, [new PopularityTrainer(), new RandomTrainer()], EvaluationProtocol.Warm,
            Quick with { Seeds = 3 });
        Assert.Equal(["pop", "random"], report.Models.Select(m => m.Model));
        var pop = report.Model("pop")!;
        var random = report.Model("random")!;
        Assert.True(pop.Get(MetricNames.Ndcg)!.Mean > 2 * random.Get(MetricNames.Ndcg)!.Mean);
        Assert.True(pop.Get(MetricNames.Auc)!.Mean > 0.7);
        Assert.InRange(random.Get(MetricNames.Auc)!.Mean, 0.4, 0.6);
        Assert.True(pop.Get(MetricNames.AveragePopularity)!.Mean > random.Get(MetricNames.AveragePopularity)!.Mean);
        Assert.True(pop.Get(MetricNames.Novelty)!.Mean < random.Get(MetricNames.Novelty)!.Mean);
        Assert.True(pop.Get(MetricNames.Coverage)!.Mean < random.Get(MetricNames.Coverage)!.Mean);
        Assert.Null(pop.Get(MetricNames.Diversity));   // no space given
        // mean ± sample std of the three runs
        var values = pop.Runs.Select(r => r.Metrics[MetricNames.Ndcg]).ToArray();
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / 2);
        Assert.Equal(mean, pop.Get(MetricNames.Ndcg)!.Mean, 1e-12);
        Assert.Equal(std, pop.Get(MetricNames.Ndcg)!.Std, 1e-12);
        Assert.True(std > 0);
        Assert.Equal([1, 2, 3], report.Seeds);
        // the table's NDCG@10 is the curve's K = 10
        Assert.Equal(pop.Get(MetricNames.Ndcg)!.Mean, pop.Curves.Ndcg[9], 1e-12);
    }

    [Fact]
    public void ResultsDoNotDependOnParallelism()
    {
        var trainers = new IRecommenderTrainer[] { new PopularityTrainer(), new RandomTrainer() };
        var parallel = ProtocolRunner.Run(Data, trainers, EvaluationProtocol.LeaveOneOut, Quick);
        var sequential = ProtocolRunner.Run(Data, trainers, EvaluationProtocol.LeaveOneOut, Quick with { MaxDegreeOfParallelism = 1 });
        for (int m = 0; m < trainers.Length; m++)
        {
            Assert.Equal(sequential.Models[m].Summary, parallel.Models[m].Summary);
            Assert.Equal(sequential.Models[m].Curves.Ndcg, parallel.Models[m].Curves.Ndcg);
            Assert.Equal(sequential.Models[m].RecommendedPopularity.Counts, parallel.Models[m].RecommendedPopularity.Counts);
        }
    }

    [Fact]
    public void ColdStartRanksTheColdItemsOnly()
    {
        var options = Quick with { Seeds = 1 };
        var report = ProtocolRunner.Run(Data, [new PopularityTrainer(), new RandomTrainer()], EvaluationProtocol.ColdStart, options);
        var split = EvaluationProtocol.ColdStart.Split(Data, 1);
        Assert.Equal(30, split.ColdItems.Count);   // 10% of the 300 items (all have interactions here)
        Assert.Contains("cold items only", report.Description, StringComparison.Ordinal);
        // popularity saw none of the cold items: it scores them all 0, so with ties broken at random it is a random model
        var pop = report.Model("pop")!;
        Assert.Equal(0.0, pop.Get(MetricNames.AveragePopularity)!.Mean);
        Assert.Equal(Math.Log2(Data.UserCount), pop.Get(MetricNames.Novelty)!.Mean, 1e-9);
        Assert.Equal(1.0, pop.Get(MetricNames.Coverage)!.Mean);
        Assert.InRange(pop.Get(MetricNames.Auc)!.Mean, 0.35, 0.65);
        Assert.InRange(report.Model("random")!.Get(MetricNames.Auc)!.Mean, 0.35, 0.65);
        // trusting its order instead (ties by index), everyone gets the same 10 of the 30 cold items
        var trusted = ProtocolRunner.Run(Data, [new PopularityTrainer()], EvaluationProtocol.ColdStart, options with { BreakTiesAtRandom = false });
        Assert.Equal(10.0 / 30, trusted.Models[0].Get(MetricNames.Coverage)!.Mean, 1e-12);
    }

    [Fact]
    public void TiedScoresEarnNothingFromTheModelsOrder()
    {
        // the oracle's lists again, but every item scored alike: its order among ties must not count
        var options = Quick with { Seeds = 1 };
        var split = EvaluationProtocol.LeaveOneOut.Split(Data, 1);
        int[] Ranking(int u) => [.. split.TestItems(u).ToArray().Concat(Enumerable.Range(0, Data.ItemCount).Where(i => !split.TestItems(u).Contains(i)))];
        var tied = new FixedRankingTrainer("tied", Ranking, tiedScores: true);
        var shuffled = ProtocolRunner.Run(Data, [tied], EvaluationProtocol.LeaveOneOut, options).Models[0];
        var trusted = ProtocolRunner.Run(Data, [tied], EvaluationProtocol.LeaveOneOut, options with { BreakTiesAtRandom = false }).Models[0];
        Assert.Equal(1.0, trusted.Get(MetricNames.Ndcg)!.Mean, 1e-12);
        Assert.True(shuffled.Get(MetricNames.Ndcg)!.Mean < 0.2, $"NDCG {shuffled.Get(MetricNames.Ndcg)!.Mean}");
        Assert.InRange(shuffled.Get(MetricNames.Auc)!.Mean, 0.4, 0.6);
        // the shuffle is seeded: the same again
        Assert.Equal(shuffled.Summary, ProtocolRunner.Run(Data, [tied], EvaluationProtocol.LeaveOneOut, options).Models[0].Summary);
    }

    [Fact]
    public void TieBreakingShufflesOnlyRunsOfEqualScores()
    {
        var list = new ScoredItems([10, 11, 12, 13, 14, 15, 16], [9, 5, 5, 5, 3, 2, 2]);
        var seen = new HashSet<string>();
        for (int user = 0; user < 200; user++)
        {
            var ids = TieBreaking.Shuffle(list, 1, user);
            Assert.Equal(10, ids[0]);
            Assert.Equal([11, 12, 13], ids[1..4].Order());
            Assert.Equal(14, ids[4]);
            Assert.Equal([15, 16], ids[5..].Order());
            seen.Add(string.Join(",", ids));
        }
        Assert.Equal(12, seen.Count);   // 3! orders of the first run × 2! of the second, all reached
        Assert.Equal([10, 11, 12, 13, 14, 15, 16], list.Ids);   // the model's array is left alone
        var distinct = new ScoredItems([1, 2], [2, 1]);
        Assert.Same(distinct.Ids, TieBreaking.Shuffle(distinct, 1, 0));
        Assert.Equal(TieBreaking.Mix(3, 4), TieBreaking.Mix(3, 4));
        Assert.NotEqual(TieBreaking.Mix(3, 4), TieBreaking.Mix(4, 3));
    }

    [Fact]
    public void AModelWithNothingToSayScoresZeroAndHasNoListMetrics()
    {
        var space = new ItemSpace("flat", _ => new float[] { 1 });
        var silent = ProtocolRunner.Run(Data, [new FixedRankingTrainer("silent", _ => [])], EvaluationProtocol.Warm,
            Quick with { Seeds = 1, DiversitySpace = space }).Models[0];
        Assert.Equal(0.0, silent.Get(MetricNames.Ndcg)!.Mean);
        Assert.Equal(0.0, silent.Get(MetricNames.Coverage)!.Mean);
        Assert.Equal(0.5, silent.Get(MetricNames.Auc)!.Mean, 1e-12);   // everything tied
        Assert.Null(silent.Get(MetricNames.Novelty));
        Assert.Null(silent.Get(MetricNames.AveragePopularity));
        Assert.Null(silent.Get(MetricNames.Diversity));
    }

    [Fact]
    public void AModelThatRecommendsTrainingItemsIsRejected()
    {
        var broken = new FixedRankingTrainer("broken", _ => [.. Enumerable.Range(0, 300)], honourContract: false);
        var e = Assert.Throws<InvalidOperationException>(() => ProtocolRunner.Run(Data, [broken], EvaluationProtocol.Warm, Quick));
        Assert.Contains("which the user has in training", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedRankingsTieTheRestForAuc()
    {
        var full = ProtocolRunner.Run(Data, [new PopularityTrainer()], EvaluationProtocol.LeaveOneOut, Quick);
        var cut = ProtocolRunner.Run(Data, [new PopularityTrainer()], EvaluationProtocol.LeaveOneOut, Quick with { RankingDepth = 20 });
        Assert.Equal(full.Models[0].Get(MetricNames.Ndcg), cut.Models[0].Get(MetricNames.Ndcg));
        Assert.NotEqual(full.Models[0].Get(MetricNames.Auc)!.Mean, cut.Models[0].Get(MetricNames.Auc)!.Mean);
        Assert.Contains("AUC is exact", full.Description, StringComparison.Ordinal);
        Assert.Contains("top 20", cut.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void MeasuresDiversityInAGivenSpace()
    {
        // a 2-d space where even items point one way and odd ones the other
        var space = new ItemSpace("parity", i => i % 2 == 0 ? new float[] { 1, 0 } : new float[] { 0, 1 });
        var report = ProtocolRunner.Run(Data, [new PopularityTrainer()], EvaluationProtocol.LeaveOneOut,
            Quick with { Seeds = 1, DiversitySpace = space });
        double diversity = report.Models[0].Get(MetricNames.Diversity)!.Mean;
        Assert.InRange(diversity, 0.3, 0.7);   // a mix of parities: between 0 (all alike) and 1 (never alike)
        Assert.Equal("parity", report.DiversitySpace);
        Assert.Contains(MetricNames.Diversity, report.Metrics);
    }

    [Fact]
    public void ReportsProgressThroughEveryStage()
    {
        var seen = new List<EvaluationProgress>();
        var progress = new SynchronousProgress<EvaluationProgress>(p => { lock (seen) seen.Add(p); });
        ProtocolRunner.Run(Data, [new PopularityTrainer()], EvaluationProtocol.LeaveOneOut, Quick, progress);
        Assert.Contains(seen, p => p.Stage == EvaluationStage.Split && p.Done == 1);
        Assert.Contains(seen, p => p.Stage == EvaluationStage.Fit && p.Training is { Model: "pop" });
        var last = seen.Last(p => p.Stage == EvaluationStage.Recommend);
        Assert.Equal(last.Total, last.Done);
        Assert.Equal([0, 1], seen.Select(p => p.RunIndex).Distinct());
    }

    [Fact]
    public void HonoursCancellation()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ProtocolRunner.Run(Data, [new PopularityTrainer()], EvaluationProtocol.Warm, Quick, null, cancel.Token));
    }

    [Fact]
    public void ProtocolsParseByName()
    {
        Assert.Equal(EvaluationProtocol.ColdStart, EvaluationProtocol.Parse("cold-start"));
        Assert.Equal(EvaluationProtocol.LeaveOneOut, EvaluationProtocol.Parse("Leave-One-Out"));
        Assert.Equal(["warm", "leave-one-out", "temporal", "cold-start"], EvaluationProtocol.Names);
        Assert.Equal("temporal", EvaluationProtocol.Temporal.Name);
        var e = Assert.Throws<UsageException>(() => EvaluationProtocol.Parse("hot"));
        Assert.Contains("warm, leave-one-out, temporal, cold-start", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => (EvaluationProtocol.Warm with { TestFraction = 1 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new EvaluationOptions { RankingDepth = 5 }.Validate());
    }

    /// <summary>IProgress that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
