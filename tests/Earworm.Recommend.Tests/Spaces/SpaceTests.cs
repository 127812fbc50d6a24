using Earworm.Catalog;
using Earworm.Recommend.Spaces;
using Earworm.Testing;

namespace Earworm.Recommend.Tests.Spaces;

public class SpaceTests
{
    private static VectorSpace Space(string name, Metric metric, params (long Id, float[] V)[] rows) =>
        new(name, rows[0].V.Length, rows.Select(r => r.Id).ToArray(), rows.SelectMany(r => r.V).ToArray(), metric, name);

    [Fact]
    public void HybridCosineIsTheWeightedMeanOfTheSpacesCosinesOverTheSharedTracks()
    {
        var a = Space("a", Metric.Euclidean, (1, [1, 0, 0]), (2, [1, 1, 0]), (3, [0, 0, 4]), (9, [1, 2, 3]));
        var b = Space("b", Metric.Cosine, (1, [0, 2]), (2, [1, 1]), (3, [5, 0]));
        var hybrid = HybridSpace.Combine([(a, 3), (b, 1)]);
        Assert.Equal([1L, 2, 3], hybrid.Ids); // 9 has no b vector: left out
        Assert.Equal(5, hybrid.Dimension);
        Assert.Equal(Metric.Cosine, hybrid.Metric);
        for (int i = 0; i < 3; i++) Assert.Equal(1, Earworm.Learning.Numerics.Simd.Dot(hybrid.Row(i), hybrid.Row(i)), 5);
        float expected = 0.75f * VectorSpace.Cosine(a.VectorOf(1), a.VectorOf(2)) + 0.25f * VectorSpace.Cosine(b.VectorOf(1), b.VectorOf(2));
        Assert.Equal(expected, VectorSpace.Cosine(hybrid.VectorOf(1), hybrid.VectorOf(2)), 5);
        // a query projected from its per-space vectors lands on the track's own hybrid vector
        var q = HybridSpace.Project([(a, 3), (b, 1)], [[2, 2, 0], [3, 3]]);
        Assert.Equal(1, VectorSpace.Cosine(q, hybrid.VectorOf(2)), 5);
        Assert.Throws<ArgumentException>(() => HybridSpace.Combine([(a, 0)]));
    }

    [Fact]
    public void ASpaceChecksItsShape()
    {
        Assert.Throws<ArgumentException>(() => new VectorSpace("x", 2, [1, 2], [1, 2, 3], Metric.Cosine, ""));
        Assert.Throws<ArgumentException>(() => new VectorSpace("x", 1, [1, 1], [1, 2], Metric.Cosine, ""));
        Assert.Throws<ArgumentException>(() => new VectorSpace("x", 1, [1], [float.NaN], Metric.Cosine, ""));
        var s = Space("s", Metric.Euclidean, (4, [3, 4]));
        Assert.True(s.VectorOf(5).IsEmpty);
        Assert.Equal(-5, s.Similarity([0, 0], s.VectorOf(4)), 5);
    }

    [Fact]
    public void AnEmptySpaceNamesTheVerbThatFillsIt()
    {
        using var catalog = CatalogStore.OpenInMemory();
        var spaces = new SpaceService(catalog);
        Assert.Contains("earworm train cf", Assert.Throws<UsageException>(() => spaces.Load("cf")).Message, StringComparison.Ordinal);
        Assert.Contains("earworm train audio", Assert.Throws<UsageException>(() => spaces.Load("audio")).Message, StringComparison.Ordinal);
        Assert.Contains("track2vec", Assert.Throws<UsageException>(() => spaces.Load("track2vec")).Message, StringComparison.Ordinal);
        Assert.Contains("earworm scan", Assert.Throws<UsageException>(() => spaces.Load("descriptors")).Message, StringComparison.Ordinal);
        Assert.Contains("choose one of", Assert.Throws<UsageException>(() => spaces.Load("nope")).Message, StringComparison.Ordinal);
        Assert.Equal("descriptors", spaces.PreferredSpace());
        Assert.All(spaces.Summaries(), s => Assert.NotNull(s.FillWith));
    }

    [Fact]
    public async Task CsvAndParquetExportsHoldEveryRow()
    {
        var s = Space("s", Metric.Cosine, (1, [0.5f, -1.25f]), (2, [1e-7f, 3]));
        var csv = SpaceExport.Csv(s, id => id == 1 ? "/music/a, b.mp3" : "/music/c.ogg");
        Assert.Equal("id,path,x0,x1\n1,\"/music/a, b.mp3\",0.5,-1.25\n2,/music/c.ogg,1E-07,3\n", csv);

        using var dir = new TempDirectory();
        var file = dir.File("s.parquet");
        await SpaceExport.WriteAsync(s, id => $"/music/{id}.mp3", file);
        await using var stream = File.OpenRead(file);
        await using var reader = await Parquet.ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(["id", "path", "x0", "x1"], fields.Select(f => f.Name));
        using var group = reader.OpenRowGroupReader(0);
        Assert.Equal(2, group.RowCount);
        var x1 = new float[2];
        await group.ReadAsync<float>(fields[3], x1.AsMemory());
        Assert.Equal([-1.25f, 3f], x1);
        await Assert.ThrowsAsync<UsageException>(() => SpaceExport.WriteAsync(s, _ => "", dir.File("s.txt")));
    }
}
