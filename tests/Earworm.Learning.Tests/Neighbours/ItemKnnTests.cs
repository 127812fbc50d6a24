using Earworm.Learning.Neighbours;

namespace Earworm.Learning.Tests.Neighbours;

public class ItemKnnTests
{
    // users × items: item 0 = (2, 1, 0), item 1 = (1, 0, 0), item 2 = (0, 3, 1), item 3 = (0, 0, 4)
    private static readonly InteractionMatrix M = InteractionMatrix.FromInteractions(
        [new(0, 0, 2), new(0, 1, 1), new(1, 0, 1), new(1, 2, 3), new(2, 2, 1), new(2, 3, 4)], 3, 4);

    [Fact]
    public void CosineSimilarityIsWorkedByHand()
    {
        var model = new ItemKnnTrainer().Fit(M);
        var r = model.SimilarItems(0, 5);
        // cos(0,1) = 2/(√5·1); cos(0,2) = 3/(√5·√10)
        Assert.Equal([1, 2], r.Ids);
        Assert.Equal(2 / Math.Sqrt(5), r.Scores[0], 1e-6);
        Assert.Equal(3 / (Math.Sqrt(5) * Math.Sqrt(10)), r.Scores[1], 1e-6);
        Assert.Equal([2], model.SimilarItems(3, 5).Ids); // item 3 co-occurs only with item 2
    }

    [Fact]
    public void RecommendSumsTheUsersCountsTimesSimilarities()
    {
        var model = new ItemKnnTrainer().Fit(M);
        // user 0 played item 0 (2) and item 1 (1): item 2 gets 2·cos(0,2) + 1·cos(1,2) = 2·3/√50 + 0
        var r = model.Recommend(0, M, 5);
        Assert.Equal([2], r.Ids); // item 3 is reached by no neighbour list of the user's items
        Assert.Equal(2 * 3 / Math.Sqrt(50), r.Scores[0], 1e-6);
    }

    [Fact]
    public void EachItemKeepsAtMostKNeighbours()
    {
        var m = TestMatrices.Topics(200, 60, 3, seed: 4);
        var model = new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 4 }).Fit(m);
        for (int i = 0; i < m.Columns; i++) Assert.InRange(model.SimilarItems(i, 100).Count, 0, 4);
    }

    [Fact]
    public void Bm25NeighboursFavourTheTopic()
    {
        var m = TestMatrices.Topics(300, 120, 6, seed: 4);
        var model = new ItemKnnTrainer(new ItemKnnOptions { Similarity = ItemSimilarity.Bm25 }).Fit(m);
        Assert.Equal("itemknn-bm25", model.Name);
        int same = 0, total = 0;
        for (int i = 0; i < m.Columns; i++)
        {
            var r = model.SimilarItems(i, 10);
            same += r.Ids.Count(j => j % 6 == i % 6);
            total += r.Count;
        }
        Assert.True(same > 0.8 * total, $"{same} of {total}");
    }

    [Fact]
    public void TheThreadCountDoesNotChangeTheNeighbours()
    {
        var m = TestMatrices.Topics(200, 60, 3, seed: 4);
        var one = new ItemKnnTrainer(new ItemKnnOptions { Threads = 1 }).Fit(m);
        var two = new ItemKnnTrainer(new ItemKnnOptions { Threads = 2 }).Fit(m);
        for (int i = 0; i < m.Columns; i++)
            Assert.Equal(one.SimilarItems(i, 20).Scores, two.SimilarItems(i, 20).Scores);
    }

    [Fact]
    public void StoredNeighboursRebuildTheSameModel()
    {
        var m = TestMatrices.Topics(200, 60, 3, seed: 4);
        var model = new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 5 }).Fit(m);
        var lists = Enumerable.Range(0, m.Columns).Select(i => model.SimilarItems(i, 5)).ToList();
        var copy = ItemKnnModel.FromNeighbours(model.Options, m.Rows, lists);
        for (int u = 0; u < m.Rows; u += 11)
            Assert.Equal(model.Recommend(u, m, 10), copy.Recommend(u, m, 10), new Earworm.Learning.Tests.Factorization.ScoredItemsComparer());
        Assert.Throws<ArgumentOutOfRangeException>(() => ItemKnnModel.FromNeighbours(model.Options, 1, [new ScoredItems([3], [1f])]));
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Assert.Throws<OptionOutOfRangeException>(() => new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 0 }));
        Assert.Throws<OptionOutOfRangeException>(() => new ItemKnnTrainer(new ItemKnnOptions { Bm25B = 2 }));
    }
}
