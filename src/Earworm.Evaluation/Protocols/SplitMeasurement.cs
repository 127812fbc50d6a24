using System.Diagnostics;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Splitting;
using Earworm.Learning;

namespace Earworm.Evaluation.Protocols;

/// <summary>
/// Measures one fitted model on one split: recommends for every test user (in parallel), checks each list
/// against the protocol's candidates, and averages the metrics over users — accuracy over all test users, AUC over
/// those with a non-relevant candidate, novelty and popularity over those given a list, diversity over those given
/// two items or more (a metric nobody qualifies for is left out). Users are cut into fixed chunks whose
/// sums are added in chunk order, so the result does not depend on how threads were scheduled.
/// </summary>
internal static class SplitMeasurement
{
    private const int ChunkSize = 32;

    // Slots of the per-user sums; the three curves follow them.
    private const int PrecisionSlot = 0, RecallSlot = 1, F1Slot = 2, NdcgSlot = 3, MapSlot = 4, MrrSlot = 5,
        HitSlot = 6, AucSlot = 7, NoveltySlot = 8, PopularitySlot = 9, DiversitySlot = 10, ScalarSlots = 11;

    public static SeedEvaluation Measure(IRecommenderModel model, DataSplit split, EvaluationProtocol protocol,
        EvaluationOptions options, int seed, double fitSeconds, Action<int, int>? usersDone, CancellationToken cancellationToken)
    {
        if (model.UserCount != split.UserCount || model.ItemCount != split.ItemCount)
            throw new InvalidOperationException(
                $"model {model.Name} is {model.UserCount} users × {model.ItemCount} items, the training matrix {split.UserCount} × {split.ItemCount}");
        var train = split.TrainMatrix;
        var popularity = ItemPopularity.UserCounts(train);
        var users = split.TestUsers;
        int k = options.K, curveK = options.CurveMaxK;
        bool[]? coldMask = null;
        Func<int, bool>? filter = null;
        if (protocol.RanksColdItemsOnly)
        {
            var mask = new bool[split.ItemCount];
            foreach (int item in split.ColdItems) mask[item] = true;
            coldMask = mask;
            filter = item => mask[item];
        }
        int catalog = coldMask is null ? split.ItemCount : split.ColdItems.Count;
        var space = options.DiversitySpace;

        int chunks = (users.Count + ChunkSize - 1) / ChunkSize;
        var sums = new double[chunks][];
        var aucUsers = new int[chunks];
        var listUsers = new int[chunks];   // users given at least one item: novelty and popularity average over them
        var pairUsers = new int[chunks];   // users given at least two: diversity averages over them
        var topK = new int[users.Count][];
        int done = 0;
        var gate = new Lock();
        var clock = Stopwatch.StartNew();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        try
        {
            Parallel.For(0, chunks, parallel, () => new bool[split.ItemCount], (chunk, _, seen) =>
            {
                var sum = new double[ScalarSlots + 3 * curveK];
                var precisionCurve = sum.AsSpan(ScalarSlots, curveK);
                var recallCurve = sum.AsSpan(ScalarSlots + curveK, curveK);
                var ndcgCurve = sum.AsSpan(ScalarSlots + 2 * curveK, curveK);
                int from = chunk * ChunkSize, to = Math.Min(from + ChunkSize, users.Count);
                for (int i = from; i < to; i++)
                {
                    int user = users[i];
                    var relevant = split.TestItems(user);
                    int candidates = coldMask is null ? split.ItemCount - train.RowLength(user) : catalog;
                    int depth = Math.Min(options.RankingDepth ?? candidates, candidates);
                    var list = model.Recommend(user, train, depth, excludeSeen: true, filter);
                    CheckList(model.Name, user, list, depth, train, coldMask, seen);
                    var ranked = options.BreakTiesAtRandom ? TieBreaking.Shuffle(list, seed, user) : list.Ids;

                    sum[PrecisionSlot] += RankingMetrics.Precision(ranked, relevant, k);
                    sum[RecallSlot] += RankingMetrics.Recall(ranked, relevant, k);
                    sum[F1Slot] += RankingMetrics.F1(ranked, relevant, k);
                    sum[NdcgSlot] += RankingMetrics.Ndcg(ranked, relevant, k);
                    sum[MapSlot] += RankingMetrics.AveragePrecision(ranked, relevant, k);
                    sum[MrrSlot] += RankingMetrics.ReciprocalRank(ranked, relevant, k);
                    sum[HitSlot] += RankingMetrics.HitRate(ranked, relevant, k);
                    if (candidates > relevant.Length)
                    {
                        sum[AucSlot] += RankingMetrics.Auc(ranked, relevant, candidates);
                        aucUsers[chunk]++;
                    }
                    if (ranked.Length > 0)
                    {
                        sum[NoveltySlot] += BeyondAccuracyMetrics.Novelty(ranked, k, popularity, split.UserCount);
                        sum[PopularitySlot] += BeyondAccuracyMetrics.AveragePopularity(ranked, k, popularity);
                        listUsers[chunk]++;
                    }
                    if (space is not null && ranked.Length > 1 && k > 1)
                    {
                        sum[DiversitySlot] += BeyondAccuracyMetrics.IntraListDiversity(ranked, k, space.Vector);
                        pairUsers[chunk]++;
                    }
                    RankingCurves.Accumulate(ranked, relevant, precisionCurve, recallCurve, ndcgCurve);
                    topK[i] = ranked[..Math.Min(k, ranked.Length)];
                }
                sums[chunk] = sum;
                if (usersDone is not null)
                {
                    lock (gate)
                    {
                        done += to - from;
                        usersDone(done, users.Count);
                    }
                }
                return seen;
            }, _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Workers failing at once (a broken model fails for every user) are one error to the caller: the first.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        double seconds = clock.Elapsed.TotalSeconds;

        var total = new double[ScalarSlots + 3 * curveK];
        foreach (var sum in sums)
            for (int j = 0; j < total.Length; j++) total[j] += sum[j];
        int evaluated = users.Count, withAuc = aucUsers.Sum(), withList = listUsers.Sum(), withPair = pairUsers.Sum();
        double Mean(int slot) => evaluated == 0 ? 0 : total[slot] / evaluated;
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.Precision] = Mean(PrecisionSlot),
            [MetricNames.Recall] = Mean(RecallSlot),
            [MetricNames.F1] = Mean(F1Slot),
            [MetricNames.Ndcg] = Mean(NdcgSlot),
            [MetricNames.Map] = Mean(MapSlot),
            [MetricNames.Mrr] = Mean(MrrSlot),
            [MetricNames.HitRate] = Mean(HitSlot),
        };
        if (withAuc > 0) metrics[MetricNames.Auc] = total[AucSlot] / withAuc;
        metrics[MetricNames.Coverage] = catalog == 0 ? 0 : BeyondAccuracyMetrics.CatalogCoverage(topK, k, catalog);
        if (withPair > 0) metrics[MetricNames.Diversity] = total[DiversitySlot] / withPair;
        if (withList > 0)
        {
            metrics[MetricNames.Novelty] = total[NoveltySlot] / withList;
            metrics[MetricNames.AveragePopularity] = total[PopularitySlot] / withList;
        }

        double[] Curve(int offset) => [.. total.Skip(ScalarSlots + offset * curveK).Take(curveK).Select(x => evaluated == 0 ? 0 : x / evaluated)];
        var histogram = new long[PopularityHistogram.BandCount(split.UserCount)];
        foreach (var list in topK) PopularityHistogram.Add(list, popularity, histogram);

        return new SeedEvaluation(seed, split.Train.Count, split.Test.Count, evaluated, withAuc, fitSeconds, seconds,
            metrics, new MetricCurves(Curve(0), Curve(1), Curve(2)), new PopularityHistogram(histogram));
    }

    /// <summary>A list must hold distinct candidates only, at most <paramref name="depth"/> of them, with a score each: the metrics
    /// (AUC above all) assume it, and a model that breaks it would be measured wrongly, not just badly.</summary>
    private static void CheckList(string model, int user, ScoredItems list, int depth, InteractionMatrix train, bool[]? coldMask, bool[] seen)
    {
        string? problem = null;
        var ranked = list.Ids;
        if (ranked.Length > depth) problem = $"returned {ranked.Length} items for a request of {depth}";
        else if (list.Scores.Length != ranked.Length) problem = $"returned {ranked.Length} items but {list.Scores.Length} scores";
        for (int i = 0; problem is null && i < ranked.Length; i++)
        {
            int item = ranked[i];
            if ((uint)item >= (uint)seen.Length) problem = $"returned item {item}, outside the catalog";
            else if (seen[item]) problem = $"returned item {item} twice";
            else if (train.Contains(user, item)) problem = $"returned item {item}, which the user has in training";
            else if (coldMask is not null && !coldMask[item]) problem = $"returned item {item}, which the filter excludes";
            else seen[item] = true;
        }
        foreach (int item in ranked)
            if ((uint)item < (uint)seen.Length) seen[item] = false;
        if (problem is not null) throw new InvalidOperationException($"model {model}, user {user}: {problem}");
    }
}
