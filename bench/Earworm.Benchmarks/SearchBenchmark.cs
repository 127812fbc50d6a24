using System.Diagnostics;
using System.Globalization;
using Earworm.Recommend;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;
using static Earworm.Benchmarks.Stats;

namespace Earworm.Benchmarks;

/// <summary>
/// <c>search [--tracks 100000] [--dims 64] [--queries 1000] [--runs 3] [--hnswlib-out DIR]</c>: the vector index and the
/// playlist engine on a synthetic clustered catalog (Gaussian blobs around 1 000 random centres, seeded). Exact search
/// (SIMD, one query at a time) against a plain matrix-multiply reference (scalar M·q then a full sort) in the same
/// run; HNSW latency and recall@10 against exact for several beam widths; index build, save, load time and memory;
/// a 20-track keep-playing playlist with each index. Latencies are single queries, one thread.
/// With --hnswlib-out the vectors and queries are written as float32 files for bench/hnswlib_compare.py.
/// </summary>
internal static class SearchBenchmark
{
    public static int Run(string[] args)
    {
        var a = new Args(args);
        int n = a.Int("--tracks", 100_000), dims = a.Int("--dims", 64), queries = a.Int("--queries", 1000), runs = a.Int("--runs", 3);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"search: {n} tracks × {dims} dimensions, 1 000 clusters, {queries} single queries, {runs} runs, {Environment.ProcessorCount} cores");
        var (space, qs) = Make(n, dims, queries, seed: 42);
        if (a.Get("--hnswlib-out") is { } dir) WriteForHnswlib(dir, space, qs);

        var exact = new ExactIndex(space);
        var truth = qs.Select(q => exact.Nearest(q, 10).Select(x => x.Key).ToHashSet()).ToList();
        var exactP50 = new List<double>();
        var exactP99 = new List<double>();
        var refP50 = new List<double>();
        var refP99 = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            var t = Time(qs, q => exact.Nearest(q, 10));
            exactP50.Add(t.P50); exactP99.Add(t.P99);
            var m = Time(qs, q => MatrixMultiplyReference(space, q, 10));
            refP50.Add(m.P50); refP99.Add(m.P99);
        }
        // the reference finds the same neighbours
        int agree = qs.Take(50).Count(q => MatrixMultiplyReference(space, q, 10).SequenceEqual(exact.Nearest(q, 10).Select(x => x.Key)));
        Console.WriteLine($"exact (SIMD)             p50 {Median(exactP50):0.000} ms  p99 {Median(exactP99):0.000} ms   (goal p99 ≤ 10 ms)");
        Console.WriteLine($"matrix-multiply reference p50 {Median(refP50):0.000} ms  p99 {Median(refP99):0.000} ms   exact/reference p50 = {Median(exactP50) / Median(refP50):0.00}; same top 10 on {agree}/50");

        var options = new HnswOptions(M: a.Int("--m", 16), EfConstruction: a.Int("--ef-construction", 100), EfSearch: 64);
        var sw = Stopwatch.StartNew();
        var hnsw = new HnswIndex(space.Rows(), space.Metric, options);
        double buildS = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"hnsw build (M {options.M}, efConstruction {options.EfConstruction}, 1 thread): {buildS:0.0} s, {hnsw.SizeBytes / 1048576.0:0.0} MiB of arrays");
        foreach (int ef in new[] { 16, 24, 32, 48, 64, 96, 128 })
        {
            double recall = qs.Select((q, i) => hnsw.Nearest(q, 10, ef).Count(x => truth[i].Contains(x.Key))).Sum() / (10.0 * qs.Count);
            var p50 = new List<double>();
            var p99 = new List<double>();
            for (int r = 0; r < runs; r++)
            {
                var t = Time(qs, q => hnsw.Nearest(q, 10, ef));
                p50.Add(t.P50); p99.Add(t.P99);
            }
            Console.WriteLine($"hnsw efSearch {ef,3}: recall@10 {recall:0.0000}  p50 {Median(p50):0.000} ms  p99 {Median(p99):0.000} ms   " +
                              $"speed-up over exact p50 ×{Median(exactP50) / Median(p50):0.0}");
        }

        var file = Path.Combine(Path.GetTempPath(), $"earworm-bench-hnsw-{Environment.ProcessId}.bin");
        try
        {
            sw.Restart();
            HnswFile.Save(hnsw, file, "bench");
            double saveS = sw.Elapsed.TotalSeconds;
            var loads = new List<double>();
            long memory = 0;
            for (int r = 0; r < runs; r++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                long before = GC.GetTotalMemory(true);
                sw.Restart();
                var loaded = HnswFile.TryLoad(file, "bench") ?? throw new InvalidOperationException("index did not load");
                loads.Add(sw.Elapsed.TotalMilliseconds);
                memory = GC.GetTotalMemory(true) - before;
                GC.KeepAlive(loaded);
            }
            Console.WriteLine($"hnsw file {new FileInfo(file).Length / 1048576.0:0.0} MiB, save {saveS:0.00} s, load median {Median(loads):0} ms " +
                              $"({string.Join(", ", loads.Select(l => l.ToString("0", inv)))}), managed memory after load +{memory / 1048576.0:0.0} MiB " +
                              $"(vectors alone {(long)n * dims * 4 / 1048576.0:0.0} MiB)");
        }
        finally
        {
            File.Delete(file);
        }

        var facts = space.Ids.ToDictionary(id => id, id => new TrackFacts(id, $"/bench/{id}.mp3", $"artist {id % 5000}", $"title {id}", 200, null, null));
        var seeds = qs.Take(50).Select((_, i) => space.Ids[(i * 7919) % n]).ToList();
        foreach (var (name, index) in new (string, IVectorIndex)[] { ("exact", exact), ("hnsw", new HnswIndexAt(hnsw, 64)) })
        {
            var engine = new PlaylistEngine(space, index, facts);
            var times = new List<double>();
            for (int r = 0; r < runs; r++)
                foreach (var id in seeds)
                {
                    sw.Restart();
                    var p = engine.KeepPlaying([new PlaylistSeed(facts[id], space.VectorOf(id).ToArray(), "seed")], new KeepPlayingOptions(20, 3, 0.1, r),
                        new PlaylistConstraints { NoRepeatArtist = 3 });
                    times.Add(sw.Elapsed.TotalMilliseconds);
                    if (p.Entries.Count != 20 || p.Entries.Select(e => e.TrackId).Distinct().Count() != 20) throw new InvalidOperationException("bad playlist");
                }
            times.Sort();
            Console.WriteLine($"keep-playing 20 tracks (keep-on 3, drunk 0.1, no-repeat-artist 3), {name,5} index: p50 {Quantile(times, 0.5):0.00} ms  " +
                              $"p99 {Quantile(times, 0.99):0.00} ms   (goal ≤ 50 ms)");
        }
        return 0;
    }

    /// <summary>Clustered unit-variance blobs (spread 0.35 around centres of unit-variance coordinates); queries from the
    /// same distribution, not in the catalog.</summary>
    private static (VectorSpace Space, List<float[]> Queries) Make(int n, int dims, int queries, int seed)
    {
        var rng = new Random(seed);
        var centres = Enumerable.Range(0, 1000).Select(_ => Enumerable.Range(0, dims).Select(_ => Gaussian(rng)).ToArray()).ToArray();
        float[] Point() => centres[rng.Next(centres.Length)].Select(x => x + 0.35f * Gaussian(rng)).ToArray();
        var data = new float[n * dims];
        for (int i = 0; i < n; i++) Point().CopyTo(data, i * dims);
        var space = new VectorSpace("bench", dims, Enumerable.Range(1, n).Select(i => (long)i).ToArray(), data, Metric.Cosine, "synthetic");
        return (space, Enumerable.Range(0, queries).Select(_ => Point()).ToList());
    }

    /// <summary>The plain reference: normalise, scores = M·q with scalar loops, then a full sort of the scores.</summary>
    private static long[] MatrixMultiplyReference(VectorSpace space, float[] query, int k)
    {
        int d = space.Dimension;
        double qn = Math.Sqrt(query.Sum(x => (double)x * x));
        var scores = new float[space.Count];
        var order = new int[space.Count];
        for (int i = 0; i < space.Count; i++)
        {
            double dot = 0, rn = 0;
            for (int j = 0; j < d; j++)
            {
                float v = space.Data[i * d + j];
                dot += v * query[j];
                rn += v * v;
            }
            scores[i] = (float)(-dot / (Math.Sqrt(rn) * qn));
            order[i] = i;
        }
        Array.Sort(scores, order);
        return order.Take(k).Select(i => space.Ids[i]).ToArray();
    }

    private static (double P50, double P99) Time<T>(List<float[]> qs, Func<float[], T> search)
    {
        foreach (var q in qs.Take(20)) search(q); // warm-up (JIT, caches)
        var t = new List<double>(qs.Count);
        var sw = new Stopwatch();
        foreach (var q in qs)
        {
            sw.Restart();
            GC.KeepAlive(search(q));
            t.Add(sw.Elapsed.TotalMilliseconds);
        }
        t.Sort();
        return (Quantile(t, 0.5), Quantile(t, 0.99));
    }

    private static void WriteForHnswlib(string dir, VectorSpace space, List<float[]> qs)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "data.f32"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(space.Data.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(dir, "queries.f32"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(qs.SelectMany(q => q).ToArray().AsSpan()).ToArray());
        Console.WriteLine($"wrote {dir}/data.f32 ({space.Count}×{space.Dimension}) and queries.f32 ({qs.Count})");
    }


    private static float Gaussian(Random rng) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));

    /// <summary>An HNSW index searched with a fixed beam.</summary>
    private sealed class HnswIndexAt(HnswIndex index, int ef) : IVectorIndex
    {
        public Metric Metric => index.Metric;
        public int Dimension => index.Dimension;
        public int Count => index.Count;
        public IReadOnlyList<Neighbour> Nearest(ReadOnlySpan<float> query, int k, Func<long, bool>? exclude = null) => index.Nearest(query, k, ef, exclude);
    }
}
