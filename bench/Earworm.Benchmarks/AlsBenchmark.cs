using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using Earworm.Learning;
using Earworm.Learning.Baselines;
using Earworm.Learning.Factorization;

namespace Earworm.Benchmarks;

/// <summary>
/// Implicit ALS on the synthetic matrix of shared/bench/gen_interactions.py (100 000 users × 50 000
/// items × 5.03 M interactions) with the anchor's settings: 64 factors, λ 0.01, α 1, 3 CG steps,
/// 15 iterations, 2 threads. Trains on everything but the leave-one-out holdout.csv, reports the
/// median seconds per iteration over the runs and the peak resident memory, then leave-one-out
/// HR@10 and NDCG@10 on the 10 000 held-out users (the user's training items excluded), beside
/// popularity. Each run waits for a quiet machine first (as the anchors' scripts do). Anchors (bench/ANCHORS.md in shared): benfred/implicit 0.4.8 1.12 s/iteration,
/// HR@10 0.250, NDCG@10 0.164; popularity HR@10 0.042, NDCG@10 0.020.
/// </summary>
internal static class AlsBenchmark
{
    public static int Run(string[] argv)
    {
        var a = new Args(argv);
        var dir = a.Get("--data") ?? throw new ArgumentException("--data DIR is required (the output of gen_interactions.py)");
        int runs = a.Int("--runs", 3); // --bpr-epochs N adds BPR on the same split
        var options = new AlsOptions
        {
            Factors = a.Int("--factors", 64), Regularization = (float)a.Double("--regularization", 0.01), Alpha = (float)a.Double("--alpha", 1),
            ConjugateGradientSteps = a.Int("--cg-steps", 3), Iterations = a.Int("--iterations", 15), Threads = a.Int("--threads", 2),
        };
        using var memory = new MemorySampler();
        var clock = Stopwatch.StartNew();
        var all = InteractionData.ReadCsv(Path.Combine(dir, "interactions.csv.gz"));
        var holdout = InteractionData.ReadCsv(Path.Combine(dir, "holdout.csv"));
        var heldOut = holdout.ToDictionary(h => h.User, h => h.Item);
        int users = all.Max(x => x.User) + 1, items = all.Max(x => x.Item) + 1;
        var train = InteractionMatrix.FromInteractions(
            all.Where(x => !(heldOut.TryGetValue(x.User, out var i) && i == x.Item)).ToList(), users, items);
        all = null;
        Console.WriteLine($"als benchmark: {users} users × {items} items, {train.NonZeros} training interactions, {holdout.Count} held out; " +
                          $"read in {clock.Elapsed.TotalSeconds:0.0} s; load average {InteractionData.LoadAverage()}; " +
                          $"{Environment.ProcessorCount} cores, Vector512 {Vector512.IsHardwareAccelerated}");
        Console.WriteLine($"  {options.Factors} factors, λ {options.Regularization}, α {options.Alpha}, {options.ConjugateGradientSteps} CG steps, " +
                          $"{options.Iterations} iterations, {options.Threads} threads, {runs} runs");

        var perIteration = new List<double>();
        AlsModel? model = null;
        for (int r = 0; r < runs; r++)
        {
            var times = new List<TimeSpan>();
            IdleWait.Wait();
            double cpu0 = IdleWait.ProcessCpuSeconds();
            var watch = Stopwatch.StartNew();
            model = new AlsTrainer(options with { Seed = 42 + r }).Fit(train, new Synchronous(p => times.Add(p.Elapsed)));
            double fit = watch.Elapsed.TotalSeconds, cpu = IdleWait.ProcessCpuSeconds() - cpu0;
            var steps = times.Select((t, i) => (t - (i == 0 ? TimeSpan.Zero : times[i - 1])).TotalSeconds).ToList();
            perIteration.Add(fit / options.Iterations);
            Console.WriteLine($"  run {r + 1}: fit {fit:0.00} s ({cpu:0.0} CPU-s) = {fit / options.Iterations:0.000} s/iteration " +
                              $"(iterations: median {Stats.Median(steps):0.000}, first {steps[0]:0.000}); load average {InteractionData.LoadAverage()}");
        }
        long peak = memory.PeakBytes;

        var (hr, ndcg, seconds) = LeaveOneOut(model!, train, heldOut, options.Threads);
        var popularity = new PopularityTrainer().Fit(train);
        var (popHr, popNdcg, _) = LeaveOneOut(popularity, train, heldOut, options.Threads);
        Console.WriteLine($"  leave-one-out on {heldOut.Count} users in {seconds:0.0} s");
        Console.WriteLine();
        Console.WriteLine("| measure | Earworm | benfred/implicit 0.4.8 (anchor) |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine(F($"| ALS s/iteration (median of {runs}) | {Stats.Median(perIteration):0.000} | 1.12 |"));
        Console.WriteLine(F($"| ALS HR@10 | {hr:0.000} | 0.250 |"));
        Console.WriteLine(F($"| ALS NDCG@10 | {ndcg:0.000} | 0.164 |"));
        Console.WriteLine(F($"| popularity HR@10 | {popHr:0.000} | 0.042 |"));
        Console.WriteLine(F($"| popularity NDCG@10 | {popNdcg:0.000} | 0.020 |"));
        Console.WriteLine(F($"| peak RSS (whole process, data included) | {peak / 1048576.0:0} MiB | goal < 2048 MiB |"));
        int bprEpochs = a.Int("--bpr-epochs", 0);
        if (bprEpochs > 0) Bpr(train, heldOut, bprEpochs, options.Threads);
        return 0;
    }

    /// <summary>BPR on the same split (anchor: implicit 0.4.8, 64 factors, lr 0.01, λ 0.01: 1.49 s per epoch).</summary>
    private static void Bpr(InteractionMatrix train, IReadOnlyDictionary<int, int> heldOut, int epochs, int threads)
    {
        var options = new BprOptions { Factors = 64, LearningRate = 0.01f, Regularization = 0.01f, Epochs = epochs, Threads = threads };
        IdleWait.Wait();
        double cpu0 = IdleWait.ProcessCpuSeconds();
        var watch = Stopwatch.StartNew();
        TrainingProgress? last = null;
        var model = new BprTrainer(options).Fit(train, new Synchronous(p => last = p));
        double fit = watch.Elapsed.TotalSeconds, cpu = IdleWait.ProcessCpuSeconds() - cpu0;
        var (hr, ndcg, _) = LeaveOneOut(model, train, heldOut, threads);
        Console.WriteLine();
        Console.WriteLine(F($"BPR, 64 factors, lr 0.01, λ 0.01, {epochs} epochs, {threads} threads: fit {fit:0.0} s ({cpu:0.0} CPU-s) = {fit / epochs:0.000} s/epoch (implicit 0.4.8: 1.49)"));
        Console.WriteLine(F($"  last epoch sampled accuracy {last?.SampledAccuracy:0.000}; HR@10 {hr:0.000}, NDCG@10 {ndcg:0.000}; load average {InteractionData.LoadAverage()}"));
    }

    /// <summary>HR@10 and NDCG@10 with one held-out item per user (NDCG = 1/log2(rank + 2) on a hit, rank from 0).</summary>
    internal static (double Hr, double Ndcg, double Seconds) LeaveOneOut(IRecommenderModel model, InteractionMatrix train,
        IReadOnlyDictionary<int, int> heldOut, int threads)
    {
        var watch = Stopwatch.StartNew();
        var pairs = heldOut.OrderBy(p => p.Key).ToArray();
        var gain = new double[pairs.Length];
        Parallel.For(0, pairs.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, n =>
        {
            int rank = Array.IndexOf(model.Recommend(pairs[n].Key, train, 10).Ids, pairs[n].Value);
            gain[n] = rank < 0 ? -1 : 1 / Math.Log2(rank + 2);
        });
        return (gain.Count(g => g >= 0) / (double)gain.Length, gain.Sum(g => Math.Max(0, g)) / gain.Length, watch.Elapsed.TotalSeconds);
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reports on the training thread (<see cref="Progress{T}"/> would post them to the pool, late).</summary>
    internal sealed class Synchronous(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
