using System.Diagnostics;
using System.Globalization;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using Earworm.Learning;
using Earworm.Learning.Sequences;

namespace Earworm.Evaluation.Sequences;

/// <summary>
/// Runs a <see cref="SequenceProtocol"/>: for each seed, holds out whole sessions (next item) or playlists
/// (continuation), fits every trainer on the rest (the other kind of sequence feeds training whole), asks each model
/// the protocol's questions and summarises every metric as mean ± sample standard deviation over the seeds. One report
/// for next item; one per number of seed tracks for continuation.
/// </summary>
public static class SequenceRunner
{
    /// <exception cref="UsageException">no sessions (next item) or playlists (continuation) to hold out, or too few.</exception>
    public static IReadOnlyList<EvaluationReport> Run(SequenceDataset data, Func<int, IReadOnlyList<ISequenceTrainer>> trainersForSeed,
        SequenceProtocol protocol, EvaluationOptions? options = null, IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trainersForSeed);
        ArgumentNullException.ThrowIfNull(protocol);
        options ??= new EvaluationOptions();
        options.Validate();
        protocol.Validate();
        bool next = protocol.Kind == SequenceProtocolKind.NextItem;
        var pool = next ? data.Sessions : data.Playlists;
        var rest = next ? data.Playlists : data.Sessions;
        if (pool.Count < 2)
            throw new UsageException(next
                ? $"{data.Name} holds {pool.Count} listening sessions: next-item needs timed listens (import ListenBrainz, Spotify, Last.fm scrobbles or a CSV with timestamps)"
                : $"{data.Name} holds {pool.Count} playlists: playlist continuation needs playlists (import m3u, xspf or mpd-json)");
        var questionSets = next ? [0] : protocol.SeedCounts.Distinct().Order().ToList();
        var seeds = options.SeedList;
        var names = new List<string>();
        var runs = questionSets.ToDictionary(q => q, _ => new Dictionary<string, List<SeedEvaluation>>());
        var heldOut = questionSets.ToDictionary(q => q, _ => new long[PopularityHistogram.BandCount(pool.Count + rest.Count)]);
        var splits = new List<string>();
        for (int r = 0; r < seeds.Count; r++)
        {
            int seed = seeds[r], run = r;
            cancellationToken.ThrowIfCancellationRequested();
            var (train, test) = Split(pool, protocol.TestFraction, seed);
            var training = train.Concat(rest).ToList();
            long trainEntries = training.Sum(s => (long)s.Length);
            splits.Add(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: {train.Count} {(next ? "sessions" : "playlists")} for training (with {rest.Count} {(next ? "playlists" : "sessions")}), {test.Count} held out"));
            var popularity = Popularity(training, data.ItemCount);
            var questions = questionSets.ToDictionary(q => q, q => next ? NextItemQuestions(test, protocol.EveryPosition) : ContinuationQuestions(test, q));
            foreach (var (q, list) in questions)
                foreach (var question in list) PopularityHistogram.Add(question.Relevant, popularity, heldOut[q]);

            var trainers = trainersForSeed(seed);
            var these = trainers.Select(t => t.Name).ToList();
            if (these.Distinct(StringComparer.Ordinal).Count() != these.Count)
                throw new ArgumentException($"trainer names must be distinct: {string.Join(", ", these)}", nameof(trainersForSeed));
            if (r == 0)
            {
                names.AddRange(these);
                foreach (var set in runs.Values) foreach (var n in names) set[n] = [];
            }
            else if (!these.SequenceEqual(names, StringComparer.Ordinal))
                throw new ArgumentException($"seed {seed} gave trainers {string.Join(", ", these)}, seed {seeds[0]} gave {string.Join(", ", names)}", nameof(trainersForSeed));

            foreach (var trainer in trainers)
            {
                progress?.Report(new EvaluationProgress(seed, run, seeds.Count, trainer.Name, EvaluationStage.Fit, 0, 1));
                var clock = Stopwatch.StartNew();
                var relay = progress is null ? null : new Progress(p => progress.Report(new EvaluationProgress(seed, run, seeds.Count, trainer.Name, EvaluationStage.Fit, p.Iteration, p.Iterations, p)));
                var model = trainer.Fit(training, data.ItemCount, relay, cancellationToken);
                double fit = clock.Elapsed.TotalSeconds;
                progress?.Report(new EvaluationProgress(seed, run, seeds.Count, trainer.Name, EvaluationStage.Fit, 1, 1));
                foreach (var (q, list) in questions)
                    runs[q][trainer.Name].Add(Measure(model, list, popularity, protocol, options, seed, fit, trainEntries, cancellationToken));
            }
        }
        var metrics = next
            ? new List<string> { MetricNames.HitRate, MetricNames.Mrr, MetricNames.Ndcg, MetricNames.Coverage }
            : [MetricNames.RPrecision, MetricNames.Ndcg, MetricNames.Clicks, MetricNames.Coverage];
        return questionSets.Select(q => new EvaluationReport(data.Name, pool.Count, data.ItemCount, (int)Math.Min(int.MaxValue, data.Entries),
            next ? protocol.Name : string.Create(CultureInfo.InvariantCulture, $"{protocol.Name}, first {q}"),
            protocol.Describe(options.K, seeds, next ? null : q), splits, options.K, seeds, null, metrics,
            [.. names.Select(n => ProtocolRunner.Summarise(n, runs[q][n], metrics))], new PopularityHistogram(heldOut[q]))
        {
            DataSummary = string.Create(CultureInfo.InvariantCulture,
                $"{data.Sessions.Count:N0} listening sessions ({data.Skips:N0} skips) and {data.Playlists.Count:N0} playlists over {data.ItemCount:N0} items, {data.Entries:N0} entries."),
            TestUnit = next ? "questions" : "test playlists",
            Conventions = Conventions(next, options.K),
        }).ToList();
    }

    /// <summary>One question: a history (with its skip flags), the relevant items (sorted) and the items not to list.</summary>
    internal sealed record Question(int[] History, bool[]? Skipped, int[] Relevant, int[] Excluded);

    internal static (List<Sequence> Train, List<Sequence> Test) Split(IReadOnlyList<Sequence> pool, double testFraction, int seed)
    {
        var order = Enumerable.Range(0, pool.Count).ToArray();
        new Random(seed).Shuffle(order);
        int test = Math.Clamp((int)Math.Round(pool.Count * testFraction, MidpointRounding.AwayFromZero), 1, pool.Count - 1);
        var held = order.Take(test).Order().ToHashSet();
        return ([.. Enumerable.Range(0, pool.Count).Where(i => !held.Contains(i)).Select(i => pool[i])], [.. held.Select(i => pool[i])]);
    }

    internal static List<Question> NextItemQuestions(IReadOnlyList<Sequence> sessions, bool everyPosition)
    {
        var questions = new List<Question>();
        foreach (var s in sessions)
        {
            var positions = Enumerable.Range(1, Math.Max(0, s.Length - 1)).Where(p => !s.IsSkipped(p)).ToList();
            if (!everyPosition && positions.Count > 0) positions = [positions[^1]];
            foreach (int p in positions)
                questions.Add(new Question(s.Items[..p], s.Skipped?[..p], [s.Items[p]], []));
        }
        return questions;
    }

    internal static List<Question> ContinuationQuestions(IReadOnlyList<Sequence> playlists, int seedTracks)
    {
        var questions = new List<Question>();
        foreach (var p in playlists)
        {
            if (p.Length <= seedTracks) continue;
            var given = p.Items[..seedTracks].Distinct().Order().ToArray();
            var relevant = p.Items[seedTracks..].Distinct().Where(i => Array.BinarySearch(given, i) < 0).Order().ToArray();
            if (relevant.Length > 0) questions.Add(new Question(p.Items[..seedTracks], p.Skipped?[..seedTracks], relevant, given));
        }
        return questions;
    }

    private static int[] Popularity(IReadOnlyList<Sequence> training, int itemCount)
    {
        var counts = new int[itemCount];
        foreach (var s in training)
            foreach (var i in s.Played().Distinct()) counts[i]++;
        return counts;
    }

    private static SeedEvaluation Measure(ISequenceModel model, List<Question> questions, int[] popularity, SequenceProtocol protocol,
        EvaluationOptions options, int seed, double fitSeconds, long trainEntries, CancellationToken cancellationToken)
    {
        bool next = protocol.Kind == SequenceProtocolKind.NextItem;
        int k = options.K, curve = options.CurveMaxK;
        int depth = Math.Max(Math.Max(k, curve), next ? 0 : protocol.ListLength);
        var clock = Stopwatch.StartNew();
        var sums = new double[3];
        var precision = new double[curve];
        var recall = new double[curve];
        var ndcg = new double[curve];
        var bands = new long[PopularityHistogram.BandCount(popularity.Length == 0 ? 0 : popularity.Max())];
        var recommended = new bool[model.ItemCount];
        var gate = new Lock();
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, questions.Count, 16),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken },
            range =>
            {
                var scores = new float[model.ItemCount];
                var s = new double[3];
                var p = new double[curve];
                var rc = new double[curve];
                var n = new double[curve];
                var b = new long[bands.Length];
                var seen = new List<int>();
                for (int i = range.Item1; i < range.Item2; i++)
                {
                    var question = questions[i];
                    model.Score(question.History, question.Skipped, scores);
                    var ranked = NextItems.Rank(scores, popularity, question.Excluded, depth);
                    var rel = question.Relevant;
                    if (next)
                    {
                        s[0] += RankingMetrics.HitRate(ranked, rel, k);
                        s[1] += RankingMetrics.ReciprocalRank(ranked, rel, k);
                        s[2] += RankingMetrics.Ndcg(ranked, rel, k);
                    }
                    else
                    {
                        s[0] += ContinuationMetrics.RPrecision(ranked, rel);
                        s[1] += RankingMetrics.Ndcg(ranked, rel, k);
                        s[2] += ContinuationMetrics.Clicks(ranked, rel, protocol.ListLength);
                    }
                    RankingCurves.Accumulate(ranked, rel, p, rc, n);
                    var top = ranked.AsSpan(0, Math.Min(k, ranked.Length));
                    PopularityHistogram.Add(top, popularity, b);
                    seen.AddRange(top.ToArray());
                }
                lock (gate)
                {
                    for (int j = 0; j < 3; j++) sums[j] += s[j];
                    for (int j = 0; j < curve; j++)
                    {
                        precision[j] += p[j];
                        recall[j] += rc[j];
                        ndcg[j] += n[j];
                    }
                    for (int j = 0; j < bands.Length; j++) bands[j] += b[j];
                    foreach (var item in seen) recommended[item] = true;
                }
            });
        int count = questions.Count;
        double Mean(double x) => count == 0 ? 0 : x / count;
        var metrics = new Dictionary<string, double>();
        if (count > 0)
        {
            if (next)
            {
                metrics[MetricNames.HitRate] = Mean(sums[0]);
                metrics[MetricNames.Mrr] = Mean(sums[1]);
                metrics[MetricNames.Ndcg] = Mean(sums[2]);
            }
            else
            {
                metrics[MetricNames.RPrecision] = Mean(sums[0]);
                metrics[MetricNames.Ndcg] = Mean(sums[1]);
                metrics[MetricNames.Clicks] = Mean(sums[2]);
            }
            metrics[MetricNames.Coverage] = (double)recommended.Count(x => x) / Math.Max(1, model.ItemCount);
        }
        var curves = new MetricCurves([.. precision.Select(Mean)], [.. recall.Select(Mean)], [.. ndcg.Select(Mean)]);
        return new SeedEvaluation(seed, (int)Math.Min(int.MaxValue, trainEntries), questions.Sum(q => q.Relevant.Length), count, 0,
            fitSeconds, clock.Elapsed.TotalSeconds, metrics, curves, new PopularityHistogram(bands));
    }

    private static string Conventions(bool next, int k) => next
        ? $"**Conventions.** One relevant item per question: HR@{k} = 1 when it is in the top {k}; MRR@{k} = 1/its rank there (0 beyond); NDCG@{k} = 1/log2(rank + 1) there. " +
          $"Coverage@{k} = distinct items in all top-{k} lists / items. Items a model scores equally are ordered by training popularity (sequences holding them), then id. Popularity bands count training sequences."
        : $"**Conventions.** R-precision = relevant tracks among the first |held-out| listed / |held-out|; NDCG@{k} with binary gains, the log2 discount and the ideal DCG of min(|held-out|, {k}) hits; " +
          $"clicks = ⌊(rank of the first relevant track − 1) / {ContinuationMetrics.ClicksPageSize}⌋. Coverage@{k} = distinct tracks in all top-{k} lists / tracks. " +
          "Items a model scores equally are ordered by training popularity (playlists and sessions holding them), then id. Popularity bands count training sequences.";

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
