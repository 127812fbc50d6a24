namespace Earworm.Learning.Tests.Contract;

/// <summary>
/// The contract every <see cref="IRecommenderModel"/> honours, as benfred/implicit's
/// <c>RecommenderBase</c> tests: each model's test class inherits these facts and says how to make
/// its trainer. Shapes, exclusion of seen items, filters, argument errors, determinism, progress,
/// cancellation and thread safety. <see cref="LearnedRecommenderContractTests"/> adds the
/// block-structure checks that baselines cannot pass.
/// </summary>
public abstract class RecommenderContractTests
{
    protected const int Blocks = 4;
    protected const int BlockSize = 10;
    protected static InteractionMatrix Matrix { get; } = TestMatrices.Blocks(Blocks, BlockSize);

    /// <summary>A trainer with the given seed, configured to learn the block matrix quickly.</summary>
    protected abstract IRecommenderTrainer CreateTrainer(int seed);

    /// <summary>How many leading recommendations two fits with the same seed must agree on.</summary>
    protected virtual int StableTop => 5;

    protected IRecommenderModel Fit(int seed = 7) => CreateTrainer(seed).Fit(Matrix, null, CancellationToken.None);

    [Fact]
    public void ModelHasTheShapeOfTheMatrix()
    {
        var model = Fit();
        Assert.Equal(Matrix.Columns, model.ItemCount);
        Assert.Equal(Matrix.Rows, model.UserCount);
        Assert.False(string.IsNullOrWhiteSpace(model.Name));
    }

    [Fact]
    public void RecommendReturnsDistinctValidItemsBestFirst()
    {
        var model = Fit();
        for (int u = 0; u < Matrix.Rows; u++)
        {
            var r = model.Recommend(u, Matrix, 5);
            Assert.Equal(r.Ids.Length, r.Scores.Length);
            Assert.InRange(r.Count, 1, 5);
            Assert.Equal(r.Count, r.Ids.Distinct().Count());
            Assert.All(r.Ids, i => Assert.InRange(i, 0, Matrix.Columns - 1));
            for (int j = 1; j < r.Count; j++) Assert.True(r.Scores[j - 1] >= r.Scores[j], $"user {u}: scores not descending");
        }
    }

    [Fact]
    public void RecommendLeavesOutSeenItems()
    {
        var model = Fit();
        for (int u = 0; u < Matrix.Rows; u++)
            Assert.All(model.Recommend(u, Matrix, Matrix.Columns).Ids, i => Assert.False(Matrix.Contains(u, i), $"user {u} got seen item {i}"));
    }

    [Fact]
    public void AFoldedInUserGetsDistinctItemsBestFirstTheirOwnLeftOut()
    {
        var model = Fit();
        for (int u = 0; u < Matrix.Rows; u += 3)
        {
            var items = Matrix.RowIndices(u).ToArray();
            var r = model.RecommendForItems(items, Matrix.RowValues(u), 5);
            Assert.InRange(r.Count, 1, 5);
            Assert.Equal(r.Count, r.Ids.Distinct().Count());
            Assert.All(r.Ids, i => Assert.DoesNotContain(i, items));
            for (int j = 1; j < r.Count; j++) Assert.True(r.Scores[j - 1] >= r.Scores[j], $"user {u}: scores not descending");
        }
        Assert.Throws<ArgumentException>(() => model.RecommendForItems([1, 2], [1f], 5));
    }

    [Fact]
    public void RecommendCanIncludeSeenItems()
    {
        var model = Fit();
        var r = model.Recommend(3, Matrix, Matrix.Columns, excludeSeen: false);
        Assert.Contains(r.Ids, i => Matrix.Contains(3, i));
    }

    [Fact]
    public void RecommendHonoursTheFilter()
    {
        var model = Fit();
        for (int u = 0; u < Matrix.Rows; u += 7)
        {
            // seen items included: a neighbourhood model reaches only the user's block
            var r = model.Recommend(u, Matrix, 10, excludeSeen: false, filter: i => i % 2 == 1);
            Assert.NotEmpty(r.Ids);
            Assert.All(r.Ids, i => Assert.Equal(1, i % 2));
        }
    }

    [Fact]
    public void CountZeroGivesNothingAndLargeCountsAreCapped()
    {
        var model = Fit();
        Assert.Equal(0, model.Recommend(0, Matrix, 0).Count);
        Assert.Equal(0, model.SimilarItems(0, 0).Count);
        Assert.InRange(model.Recommend(0, Matrix, 10_000, excludeSeen: false).Count, 1, Matrix.Columns);
        Assert.InRange(model.SimilarItems(0, 10_000).Count, 1, Matrix.Columns - 1);
    }

    [Fact]
    public void SimilarItemsLeaveOutTheItemItself()
    {
        var model = Fit();
        for (int i = 0; i < Matrix.Columns; i++)
        {
            var r = model.SimilarItems(i, 5);
            Assert.NotEmpty(r.Ids);
            Assert.DoesNotContain(i, r.Ids);
            Assert.Equal(r.Count, r.Ids.Distinct().Count());
            for (int j = 1; j < r.Count; j++) Assert.True(r.Scores[j - 1] >= r.Scores[j]);
        }
    }

    [Fact]
    public void SimilarItemsHonourTheFilter()
    {
        var model = Fit();
        Assert.All(model.SimilarItems(4, 8, i => i % 3 == 0).Ids, i => Assert.Equal(0, i % 3));
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var model = Fit();
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Recommend(-1, Matrix, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Recommend(Matrix.Rows, Matrix, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Recommend(0, Matrix, -1));
        Assert.Throws<ArgumentNullException>(() => model.Recommend(0, null!, 5));
        var narrow = InteractionMatrix.FromInteractions([new Interaction(0, 0, 1)], Matrix.Rows, Matrix.Columns - 1);
        Assert.Throws<ArgumentException>(() => model.Recommend(0, narrow, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.SimilarItems(-1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.SimilarItems(Matrix.Columns, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.SimilarItems(0, -1));
        Assert.Throws<ArgumentNullException>(() => CreateTrainer(7).Fit(null!, null, CancellationToken.None));
    }

    [Fact]
    public void TheSameSeedGivesTheSameRecommendations()
    {
        var a = Fit(11);
        var b = Fit(11);
        for (int u = 0; u < Matrix.Rows; u++)
            Assert.Equal(a.Recommend(u, Matrix, StableTop).Ids, b.Recommend(u, Matrix, StableTop).Ids);
    }

    [Fact]
    public void FitReportsProgressToTheEnd()
    {
        var log = new ProgressLog();
        var trainer = CreateTrainer(7);
        trainer.Fit(Matrix, log, CancellationToken.None);
        var last = Assert.IsType<TrainingProgress>(log.Reports[^1]);
        Assert.Equal(last.Iterations, last.Iteration);
        Assert.Equal(trainer.Name, last.Model);
        Assert.Equal(Enumerable.Range(1, last.Iterations), log.Reports.Select(p => p.Iteration));
    }

    [Fact]
    public void FitHonoursCancellation()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => CreateTrainer(7).Fit(Matrix, null, cts.Token));
    }

    [Fact]
    public void RecommendIsSafeAcrossThreads()
    {
        var model = Fit();
        var expected = Enumerable.Range(0, Matrix.Rows).Select(u => model.Recommend(u, Matrix, 5).Ids).ToArray();
        var actual = new int[Matrix.Rows][];
        Parallel.For(0, Matrix.Rows * 20, new ParallelOptions { MaxDegreeOfParallelism = 4 }, n =>
        {
            int u = n % Matrix.Rows;
            actual[u] = model.Recommend(u, Matrix, 5).Ids;
            Assert.Equal(expected[u], actual[u]);
        });
    }
}
