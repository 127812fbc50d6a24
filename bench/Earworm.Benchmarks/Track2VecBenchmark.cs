using System.Diagnostics;
using System.Globalization;
using Earworm.Learning.Embeddings;

namespace Earworm.Benchmarks;

/// <summary>
/// track2vec on the synthetic playlists of shared/bench/gen_playlists.py (200 000 playlists,
/// 6.0 M tokens, 99 588 tracks) with gensim's settings in w2v_bench.py: skip-gram, negative 5,
/// window 5, 100 dimensions, 5 epochs, min_count 1, sample 1e-3, α 0.025 → 1e-4, 2 threads.
/// Words per second = tokens × epochs / training seconds (vocabulary and corpus preparation
/// included, gensim times its build_vocab apart); "effective" counts the tokens kept by
/// subsampling. Neighbour topic purity@10 as w2v_bench.py: 1 000 tracks drawn (seed 7) among
/// those with ≥ 20 occurrences, the fraction of their 10 nearest (cosine) with the same topic.
/// Anchor (bench/ANCHORS.md in shared): gensim 4.2, 212 000 words/s, purity 0.9999. Each run waits
/// for a quiet machine first, as w2v_bench.py does.
/// </summary>
internal static class Track2VecBenchmark
{
    public static int Run(string[] argv)
    {
        var a = new Args(argv);
        var dir = a.Get("--data") ?? throw new ArgumentException("--data DIR is required (the output of gen_playlists.py)");
        int runs = a.Int("--runs", 3);
        var options = new Track2VecOptions
        {
            Dimensions = 100, Window = 5, Negative = 5, Epochs = a.Int("--epochs", 5), MinCount = 1, Sample = 1e-3,
            Threads = a.Int("--threads", 2), Seed = 1,
        };
        using var memory = new MemorySampler();
        var playlists = InteractionData.ReadPlaylists(Path.Combine(dir, "playlists.txt.gz"));
        var topic = InteractionData.ReadNpyInt64(Path.Combine(dir, "track_topic.npy"));
        long tokens = playlists.Sum(p => (long)p.Length);
        Console.WriteLine($"track2vec benchmark: {playlists.Count} playlists, {tokens} tokens, {topic.Length} tracks; " +
                          $"{options.Dimensions} dims, window {options.Window}, negative {options.Negative}, {options.Epochs} epochs, " +
                          $"{options.Threads} threads, {runs} runs; load average {InteractionData.LoadAverage()}");
        var raw = new List<double>();
        var effective = new List<double>();
        Track2VecModel? model = null;
        var perCpu = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            IdleWait.Wait();
            double cpu0 = IdleWait.ProcessCpuSeconds();
            var watch = Stopwatch.StartNew();
            model = new Track2VecTrainer(options).FitSequences(playlists, topic.Length);
            double seconds = watch.Elapsed.TotalSeconds, cpu = IdleWait.ProcessCpuSeconds() - cpu0;
            raw.Add(model.RawWords / seconds);
            effective.Add(model.EffectiveWords / seconds);
            perCpu.Add(model.RawWords / cpu);
            Console.WriteLine(F($"  run {r + 1}: train {seconds:0.00} s ({cpu:0.0} CPU-s), {model.RawWords / seconds:0} words/s, effective {model.EffectiveWords / seconds:0} words/s; load average {InteractionData.LoadAverage()}"));
        }
        var purityClock = Stopwatch.StartNew();
        double purity = Purity(model!, topic);
        Console.WriteLine(F($"  purity over 1 000 probes in {purityClock.Elapsed.TotalSeconds:0.0} s; vocabulary {model!.VocabularySize}"));
        Console.WriteLine();
        Console.WriteLine("| measure | Earworm | gensim 4.2 (anchor) |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine(F($"| words/s (median of {runs}) | {Stats.Median(raw):0} | 212 000 |"));
        Console.WriteLine(F($"| effective words/s | {Stats.Median(effective):0} | |"));
        Console.WriteLine(F($"| words per CPU-second | {Stats.Median(perCpu):0} | |"));
        Console.WriteLine(F($"| neighbour topic purity@10 | {purity:0.0000} | 0.9999 |"));
        Console.WriteLine(F($"| peak RSS | {memory.PeakBytes / 1048576.0:0} MiB | |"));
        return 0;
    }

    private static double Purity(Track2VecModel model, int[] topic)
    {
        var candidates = Enumerable.Range(0, model.ItemCount).Where(t => model.Occurrences(t) >= 20).ToArray();
        var rng = new Random(7);
        var probes = candidates.OrderBy(_ => rng.Next()).Take(1000).ToArray();
        var same = new int[probes.Length];
        Parallel.For(0, probes.Length, new ParallelOptions { MaxDegreeOfParallelism = model.Options.Threads }, n =>
        {
            var r = model.SimilarItems(probes[n], 10);
            same[n] = r.Ids.Count(i => topic[i] == topic[probes[n]]);
        });
        return same.Sum() / (10.0 * probes.Length);
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
