using System.Diagnostics;
using System.Globalization;
using Earworm.App;
using Earworm.Cluster;
using Earworm.Recommend;
using Earworm.Recommend.Spaces;

namespace Earworm.Benchmarks;

/// <summary>
/// What the cluster's similar-tracks search finds and what it costs, by shard count and beam width, on a catalog's own
/// space (<c>shard-recall --db CATALOG</c>; bench/scale-out.sh's 1 M-track catalog): the space cut as the shard grains
/// cut it (<see cref="ShardMath.Partition"/>), each part indexed as a grain indexes it (<see cref="VectorIndex.For"/>,
/// saved in and loaded from the catalog's model folder, so the silos load what this builds and the other way round),
/// then for a sample of tracks the 10 nearest as a silo finds them — every shard asked for <c>--k</c> at efSearch
/// <c>--ef</c>, the answers merged (<see cref="ShardMath.Merge"/>) — against the exact 10 nearest of the whole space:
/// recall@10, and the CPU of the searches a query (one thread, no network, no Orleans).
/// </summary>
internal static class ShardRecallBenchmark
{
    public static int Run(string[] argv)
    {
        var a = new Args(argv);
        var location = new CatalogLocation(a.Get("--db") ?? throw new ArgumentException("--db CATALOG (bench/scale-out.sh's --catalog)"));
        string spaceName = a.Get("--space") ?? "audio";
        int queries = a.Int("--queries", 300), merged = a.Int("--merge", 28);
        int[] List(string name, string fallback) => [.. (a.Get(name) ?? fallback).Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
        int[] shardCounts = List("--shards", "6,3"), beams = List("--ef", "16,24,32,48,64"), ks = List("--k", "28,10");
        var clock = Stopwatch.StartNew();
        VectorSpace space;
        using (var catalog = location.OpenExisting()) space = new SpaceService(catalog).Load(spaceName);
        Console.WriteLine(F($"shard-recall: {space.Count:N0} tracks × {space.Dimension} of '{spaceName}' ({space.Metric}) loaded in {clock.Elapsed.TotalSeconds:0} s; load average {Load()}"));

        var random = new Random(7);
        var sample = Enumerable.Range(0, queries).Select(_ => space.Ids[random.Next(space.Count)]).Distinct().ToArray();
        clock.Restart();
        var exact = new ExactIndex(space);
        var truth = sample.Select(id => exact.Nearest(space.VectorOf(id), 10, x => x == id).Select(n => n.Key).ToHashSet()).ToArray();
        Console.WriteLine(F($"  exact 10 nearest of {sample.Length} tracks: {clock.Elapsed.TotalMilliseconds / sample.Length:0.0} ms a query"));

        foreach (int shards in shardCounts)
        {
            clock.Restart();
            var cpu0 = CpuTime.Now();
            var indexes = new IVectorIndex[shards];
            Parallel.For(0, shards, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                s => indexes[s] = VectorIndex.For(ShardMath.Partition(space, s, shards), cacheFolder: location.ModelFolder));
            Console.WriteLine(F($"  {shards} shards of ~{space.Count / shards:N0}: indexed (built or loaded) in {clock.Elapsed.TotalSeconds:0} s, {(CpuTime.Now() - cpu0).SelfSeconds:0} CPU-s; load average {Load()}"));
            foreach (int k in ks)
            foreach (int ef in beams)
            {
                int hits = 0;
                var answers = new ShardAnswer?[shards];
                var cpu = CpuTime.Now();
                var wall = Stopwatch.StartNew();
                for (int q = 0; q < sample.Length; q++)
                {
                    long id = sample[q];
                    var vector = space.VectorOf(id);
                    for (int s = 0; s < shards; s++)
                    {
                        var found = indexes[s] is HnswIndex h ? h.Nearest(vector, k, ef, x => x == id) : indexes[s].Nearest(vector, k, x => x == id);
                        answers[s] = new ShardAnswer { Ids = [.. found.Select(n => n.Key)], Scores = [.. found.Select(n => n.Score)] };
                    }
                    var (best, _) = ShardMath.Merge(answers, merged);
                    hits += best.Take(10).Count(n => truth[q].Contains(n.Key));
                }
                double cpuMs = 1000 * (CpuTime.Now() - cpu).SelfSeconds / sample.Length;
                Console.WriteLine(F($"    shards {shards}, k {k,2}, efSearch {ef,3}: recall@10 {hits / (10.0 * sample.Length):0.0000}; searches {cpuMs:0.000} CPU-ms a query ({wall.Elapsed.TotalMilliseconds / sample.Length:0.000} ms wall, one thread)"));
            }
        }
        Console.WriteLine(F($"  load average {Load()}"));
        return 0;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Load() => File.ReadAllText("/proc/loadavg")[..14];
}
