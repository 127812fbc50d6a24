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

    public static SeedEvaluation Measure(IRecommenderModel model, DataSplit split, EvaluationProtocol protocol,
        EvaluationOptions options, int seed, double fitSeconds, Action<int, int>? usersDone, CancellationToken cancellationToken)
    {
        if (model.UserCount != split.UserCount || model.ItemCount != split.ItemCount)
            throw new InvalidOperationException(
                $"model {model.Name} is {model.UserCount} users × {model.ItemCount} items, the training matrix {split.UserCount} × {split.ItemCount}");
        var run = new Measurement(model, split, Candidates.Of(split, protocol), options, seed, ItemPopularity.UserCounts(split.TrainMatrix));
        var clock = Stopwatch.StartNew();
        var chunks = MeasureUsers(run, usersDone, cancellationToken);
        double seconds = clock.Elapsed.TotalSeconds;
        var total = UserSums.Total(chunks, options.CurveMaxK);
        return new SeedEvaluation(seed, split.Train.Count, split.Test.Count, total.Users, total.AucUsers, fitSeconds, seconds,
            Metrics(total, run), total.Curves(), RecommendedPopularity(run));
    }

    /// <summary>What every user's measurement shares; <see cref="TopK"/> is filled in as users are measured.</summary>
    private sealed record Measurement(IRecommenderModel Model, DataSplit Split, Candidates Candidates, EvaluationOptions Options, int Seed, int[] Popularity)
    {
        public int[][] TopK { get; } = new int[Split.TestUsers.Count][];
    }

    /// <summary>The items a protocol lets a model rank: every item (minus the user's training items), or the cold
    /// items only.</summary>
    private sealed record Candidates(bool[]? ColdMask, Func<int, bool>? Filter, int CatalogSize)
    {
        public static Candidates Of(DataSplit split, EvaluationProtocol protocol)
        {
            if (!protocol.RanksColdItemsOnly) return new Candidates(null, null, split.ItemCount);
            var mask = new bool[split.ItemCount];
            foreach (int item in split.ColdItems) mask[item] = true;
            return new Candidates(mask, item => mask[item], split.ColdItems.Count);
        }

        public int For(int user, InteractionMatrix train) => ColdMask is null ? CatalogSize - train.RowLength(user) : CatalogSize;
    }

    /// <summary>Measures the test users in fixed chunks, in parallel; returns each chunk's sums in chunk order.</summary>
    private static UserSums[] MeasureUsers(Measurement run, Action<int, int>? usersDone, CancellationToken cancellationToken)
    {
        var users = run.Split.TestUsers;
        int chunks = (users.Count + ChunkSize - 1) / ChunkSize;
        var sums = new UserSums[chunks];
        int done = 0;
        var gate = new Lock();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = run.Options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        try
        {
            Parallel.For(0, chunks, parallel, () => new bool[run.Split.ItemCount], (chunk, _, seen) =>
            {
                var sum = new UserSums(run.Options.CurveMaxK);
                int from = chunk * ChunkSize, to = Math.Min(from + ChunkSize, users.Count);
                for (int i = from; i < to; i++) MeasureUser(run, i, sum, seen);
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
        return sums;
    }

    /// <summary>Ranks for the <paramref name="index"/>-th test user, checks the list and adds its metrics to <paramref name="sum"/>.</summary>
    private static void MeasureUser(Measurement run, int index, UserSums sum, bool[] seen)
    {
        var (split, options, k) = (run.Split, run.Options, run.Options.K);
        int user = split.TestUsers[index];
        var train = split.TrainMatrix;
        var relevant = split.TestItems(user);
        int candidates = run.Candidates.For(user, train);
        int depth = Math.Min(options.RankingDepth ?? candidates, candidates);
        var list = run.Model.Recommend(user, train, depth, excludeSeen: true, run.Candidates.Filter);
        CheckList(run.Model.Name, user, list, depth, train, run.Candidates.ColdMask, seen);
        var ranked = options.BreakTiesAtRandom ? TieBreaking.Shuffle(list, run.Seed, user) : list.Ids;

        sum.AddAccuracy(ranked, relevant, k);
        if (candidates > relevant.Length) sum.AddAuc(RankingMetrics.Auc(ranked, relevant, candidates));
        if (ranked.Length > 0)
            sum.AddListMetrics(BeyondAccuracyMetrics.Novelty(ranked, k, run.Popularity, split.UserCount),
                BeyondAccuracyMetrics.AveragePopularity(ranked, k, run.Popularity));
        if (options.DiversitySpace is { } space && ranked.Length > 1 && k > 1)
            sum.AddDiversity(BeyondAccuracyMetrics.IntraListDiversity(ranked, k, space.Vector));
        run.TopK[index] = ranked[..Math.Min(k, ranked.Length)];
    }

    /// <summary>The metrics of the run from its summed users: each averaged over the users it applies to, a metric
    /// nobody qualified for left out.</summary>
    private static Dictionary<string, double> Metrics(UserSums total, Measurement run)
    {
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.Precision] = total.MeanOverUsers(UserSums.PrecisionSlot),
            [MetricNames.Recall] = total.MeanOverUsers(UserSums.RecallSlot),
            [MetricNames.F1] = total.MeanOverUsers(UserSums.F1Slot),
            [MetricNames.Ndcg] = total.MeanOverUsers(UserSums.NdcgSlot),
            [MetricNames.Map] = total.MeanOverUsers(UserSums.MapSlot),
            [MetricNames.Mrr] = total.MeanOverUsers(UserSums.MrrSlot),
            [MetricNames.HitRate] = total.MeanOverUsers(UserSums.HitSlot),
        };
        if (total.AucUsers > 0) metrics[MetricNames.Auc] = total.Sum[UserSums.AucSlot] / total.AucUsers;
        int catalog = run.Candidates.CatalogSize;
        metrics[MetricNames.Coverage] = catalog == 0 ? 0 : BeyondAccuracyMetrics.CatalogCoverage(run.TopK, run.Options.K, catalog);
        if (total.PairUsers > 0) metrics[MetricNames.Diversity] = total.Sum[UserSums.DiversitySlot] / total.PairUsers;
        if (total.ListUsers > 0)
        {
            metrics[MetricNames.Novelty] = total.Sum[UserSums.NoveltySlot] / total.ListUsers;
            metrics[MetricNames.AveragePopularity] = total.Sum[UserSums.PopularitySlot] / total.ListUsers;
        }
        return metrics;
    }

    private static PopularityHistogram RecommendedPopularity(Measurement run)
    {
        var histogram = new long[PopularityHistogram.BandCount(run.Split.UserCount)];
        foreach (var list in run.TopK) PopularityHistogram.Add(list, run.Popularity, histogram);
        return new PopularityHistogram(histogram);
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
