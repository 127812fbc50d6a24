using System.Diagnostics;
using System.Globalization;
using Earworm.Cluster;
using Earworm.Recommend;
using Earworm.Recommend.Spaces;

namespace Earworm.Benchmarks;

/// <summary>
/// Similar-track search at a service's size, in one process (<c>shard-search</c>): <c>--tracks</c> (default 10 M)
/// random unit vectors of <c>--dims</c> (64) spread over <c>--shards</c> (3) by the cluster's key
/// (<see cref="ShardMath.ShardOf"/>), each shard indexed as a shard grain indexes its partition
/// (<see cref="VectorIndex.For"/>; <c>--index exact</c> by default, <c>hnsw</c> or <c>auto</c>), then <c>--queries</c>
/// searches for the 10 nearest of a random track, fanned out to every shard at once and merged
/// (<see cref="ShardMath.Merge"/>) as the coordinator grain does. Prints p50/p99 of the fan-out and of one shard alone,
/// and the memory the vectors take. No network, no Orleans: the cost of the search itself.
/// </summary>
internal static class ShardSearchBenchmark
{
    public static int Run(string[] argv)
    {
        var a = new Args(argv);
        int tracks = a.Int("--tracks", 10_000_000), dims = a.Int("--dims", 64), shards = a.Int("--shards", 3), queries = a.Int("--queries", 200);
        var kind = Enum.Parse<IndexKind>(a.Get("--index") ?? "exact", ignoreCase: true);
        using var memory = new MemorySampler();
        var clock = Stopwatch.StartNew();
        // each track's shard, then each shard's vectors made in place (no whole copy of the space)
        var counts = new int[shards];
        for (long id = 1; id <= tracks; id++) counts[ShardMath.ShardOf(id, shards)]++;
        var ids = counts.Select(c => new long[c]).ToArray();
        var data = counts.Select(c => new float[(long)c * dims]).ToArray();
        var fill = new int[shards];
        var rng = new Random(42);
        for (long id = 1; id <= tracks; id++)
        {
            int s = ShardMath.ShardOf(id, shards), at = fill[s]++;
            ids[s][at] = id;
            var v = data[s].AsSpan(at * dims, dims);
            float norm = 0;
            for (int d = 0; d < dims; d++) norm += (v[d] = (float)(rng.NextDouble() * 2 - 1)) * v[d];
            norm = MathF.Sqrt(norm);
            for (int d = 0; d < dims; d++) v[d] /= norm;
        }
        var indexes = Enumerable.Range(0, shards)
            .Select(s => VectorIndex.For(new VectorSpace("bench", dims, ids[s], data[s], Metric.Cosine, "synthetic"), kind)).ToArray();
        Console.WriteLine(F($"shard-search: {tracks:N0} tracks × {dims} dimensions in {shards} shards ({string.Join(", ", counts.Select(c => c.ToString("N0", CultureInfo.InvariantCulture)))}), {kind} index, built in {clock.Elapsed.TotalSeconds:0} s; RSS {memory.PeakBytes / 1073741824.0:0.00} GiB; load average {Load()}"));

        var fanOut = new List<double>();
        var single = new List<double>();
        var q = new Random(7);
        for (int i = 0; i < queries; i++)
        {
            int s0 = q.Next(shards);
            var query = data[s0].AsSpan(q.Next(counts[s0]) * dims, dims).ToArray();
            var watch = Stopwatch.StartNew();
            var answers = Task.WhenAll(indexes.Select(index => Task.Run(() => Answer(index, query)))).GetAwaiter().GetResult();
            var (best, coverage) = ShardMath.Merge(answers, 10);
            fanOut.Add(watch.Elapsed.TotalMilliseconds);
            if (best.Count != 10 || coverage != 1) throw new InvalidOperationException($"{best.Count} found, coverage {coverage}");
            watch.Restart();
            Answer(indexes[i % shards], query);
            single.Add(watch.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine(F($"  fan-out to {shards} shards and merge: p50 {Percentile(fanOut, 0.5):0.0} ms, p99 {Percentile(fanOut, 0.99):0.0} ms; one shard alone: p50 {Percentile(single, 0.5):0.0} ms, p99 {Percentile(single, 0.99):0.0} ms ({queries} queries, k 10)"));
        Console.WriteLine(F($"  vectors {(double)tracks * dims * 4 / 1073741824.0:0.00} GiB; peak RSS {memory.PeakBytes / 1073741824.0:0.00} GiB; load average {Load()}"));
        return 0;
    }

    private static ShardAnswer Answer(IVectorIndex index, float[] query)
    {
        var found = index.Nearest(query, 10);
        return new ShardAnswer { Ids = found.Select(f => f.Key).ToArray(), Scores = found.Select(f => f.Score).ToArray() };
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
