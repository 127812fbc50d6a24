namespace Earworm.Recommend.Tests.Index;

public class HnswIndexTests
{
    private static double RecallAt10(IVectorIndex approx, ExactIndex exact, IReadOnlyList<float[]> queries)
    {
        double hits = 0;
        foreach (var q in queries)
        {
            var truth = exact.Nearest(q, 10).Select(n => n.Key).ToHashSet();
            hits += approx.Nearest(q, 10).Count(n => truth.Contains(n.Key));
        }
        return hits / (10.0 * queries.Count);
    }

    [Theory]
    [InlineData(Metric.Cosine)]
    [InlineData(Metric.Euclidean)]
    public void RecallAt10AgainstExactSearchIsAtLeast95PercentOnClusteredData(Metric metric)
    {
        var rows = ClusteredData.Make(6000, 32, 60, seed: 1);
        var exact = new ExactIndex(rows, metric);
        var hnsw = new HnswIndex(rows, metric, new HnswOptions(M: 16, EfConstruction: 100, EfSearch: 64));
        // queries: fresh points from the same distribution, not in the index
        var queries = ClusteredData.Make(300, 32, 60, seed: 1).Select(r => r.Vector.Select(x => x + 0.1f).ToArray()).ToList();
        double recall = RecallAt10(hnsw, exact, queries);
        Assert.True(recall >= 0.95, $"recall@10 {recall:0.000}");
        // the scores are the exact ones for the rows found
        var q = queries[0];
        var a = hnsw.Nearest(q, 5);
        var e = exact.Nearest(q, 50).ToDictionary(n => n.Key, n => n.Score);
        foreach (var n in a.Where(n => e.ContainsKey(n.Key))) Assert.Equal(e[n.Key], n.Score, 4);
        Assert.Equal(a.Select(n => n.Score).OrderDescending(), a.Select(n => n.Score));
    }

    [Fact]
    public void ASmallerBeamLosesRecallAndALargerOneGainsIt()
    {
        var rows = ClusteredData.Make(4000, 24, 40, seed: 2);
        var exact = new ExactIndex(rows, Metric.Cosine);
        var hnsw = new HnswIndex(rows, Metric.Cosine, new HnswOptions(M: 4, EfConstruction: 16, EfSearch: 10));
        var queries = ClusteredData.Make(200, 24, 40, seed: 3).Select(r => r.Vector).ToList();
        double narrow = RecallAt10(hnsw, exact, queries);
        double hits = 0;
        foreach (var q in queries)
        {
            var truth = exact.Nearest(q, 10).Select(n => n.Key).ToHashSet();
            hits += hnsw.Nearest(q, 10, efSearch: 400).Count(n => truth.Contains(n.Key));
        }
        Assert.True(hits / (10.0 * queries.Count) > narrow);
    }

    [Fact]
    public void ExclusionsAreHonouredAndTheBeamWidensToFindK()
    {
        var rows = ClusteredData.Make(2000, 16, 10, seed: 4);
        var hnsw = new HnswIndex(rows, Metric.Cosine, new HnswOptions(EfSearch: 10));
        // exclude every key but the last 30: the beam must widen to return 20
        var n = hnsw.Nearest(rows[0].Vector, 20, key => key < 1000 + 1970);
        Assert.Equal(20, n.Count);
        Assert.All(n, x => Assert.True(x.Key >= 1970 + 1000));
        Assert.Equal(n.Count, n.Select(x => x.Key).Distinct().Count());
        Assert.Empty(hnsw.Nearest(rows[0].Vector, 5, _ => true));
    }

    [Fact]
    public void TinyIndexesAndBadInput()
    {
        var one = new HnswIndex([(7L, [1f, 0])], Metric.Cosine);
        Assert.Equal([7L], one.Nearest([0.5f, 0.5f], 3).Select(x => x.Key));
        var none = new HnswIndex([], Metric.Cosine);
        Assert.Empty(none.Nearest([], 3));
        Assert.Throws<ArgumentException>(() => one.Nearest([1f], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HnswOptions(M: 1).Validate());
        // the same seed builds the same graph: the same answers
        var rows = ClusteredData.Make(500, 8, 5, seed: 5);
        var a = new HnswIndex(rows, Metric.Cosine, new HnswOptions(M: 4, EfSearch: 8));
        var b = new HnswIndex(rows, Metric.Cosine, new HnswOptions(M: 4, EfSearch: 8));
        Assert.Equal(a.Nearest(rows[3].Vector, 10), b.Nearest(rows[3].Vector, 10));
    }

    [Fact]
    public void SavedAndLoadedItAnswersTheSameAndAStaleFileIsIgnored()
    {
        using var dir = new Earworm.Testing.TempDirectory();
        var rows = ClusteredData.Make(1500, 12, 12, seed: 6);
        var hnsw = new HnswIndex(rows, Metric.Euclidean, new HnswOptions(M: 8, EfSearch: 32));
        var path = dir.File("index.bin");
        HnswFile.Save(hnsw, path, "fp-1");
        var loaded = HnswFile.TryLoad(path, "fp-1");
        Assert.NotNull(loaded);
        Assert.Equal(hnsw.Count, loaded.Count);
        Assert.Equal(hnsw.Options, loaded.Options);
        foreach (var (_, v) in rows.Take(50)) Assert.Equal(hnsw.Nearest(v, 10), loaded.Nearest(v, 10));
        Assert.Null(HnswFile.TryLoad(path, "fp-2"));
        Assert.Null(HnswFile.TryLoad(dir.File("absent.bin"), "fp-1"));
        File.WriteAllText(dir.File("junk.bin"), "not an index at all, just text");
        Assert.Null(HnswFile.TryLoad(dir.File("junk.bin"), "fp-1"));
    }
}

public class VectorIndexTests
{
    [Fact]
    public void AutoIsExactForSmallSpacesAndAnHnswIndexIsSavedAndReusedWhileTheVectorsAreUnchanged()
    {
        using var dir = new Earworm.Testing.TempDirectory();
        var rows = ClusteredData.Make(300, 8, 4, seed: 9);
        var space = new Earworm.Recommend.Spaces.VectorSpace("s", 8, rows.Select(r => r.Key).ToArray(), rows.SelectMany(r => r.Vector).ToArray(), Metric.Cosine, "");
        Assert.IsType<ExactIndex>(VectorIndex.For(space, IndexKind.Auto, null, dir.Path));
        Assert.Empty(Directory.EnumerateFiles(dir.Path));
        var built = Assert.IsType<HnswIndex>(VectorIndex.For(space, IndexKind.Hnsw, null, dir.Path));
        var file = Assert.Single(Directory.EnumerateFiles(dir.Path));
        var stamp = File.GetLastWriteTimeUtc(file);
        var again = Assert.IsType<HnswIndex>(VectorIndex.For(space, IndexKind.Hnsw, null, dir.Path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(file));
        Assert.Equal(built.Nearest(rows[0].Vector, 5), again.Nearest(rows[0].Vector, 5));
        // other vectors: another fingerprint, so the file is rebuilt
        Assert.NotEqual(VectorIndex.Fingerprint(space, new HnswOptions()),
            VectorIndex.Fingerprint(new Earworm.Recommend.Spaces.VectorSpace("s", 8, space.Ids, space.Data.Select(x => x + 1).ToArray(), Metric.Cosine, ""), new HnswOptions()));
    }
}
