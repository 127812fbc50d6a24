using Earworm.Learning.Factorization;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Tests.Factorization;

public class AlsTests
{
    private static readonly InteractionMatrix Topics = TestMatrices.Topics(users: 300, items: 120, topics: 6, seed: 5);

    private static AlsModel Train(AlsOptions options, InteractionMatrix? m = null, IProgress<TrainingProgress>? progress = null) =>
        new AlsTrainer(options).Fit(m ?? Topics, progress);

    [Fact]
    public void ConjugateGradientConvergesToTheCholeskySolution()
    {
        // as implicit's test of least_squares_cg against least_squares: enough CG steps reach the exact solve
        const int k = 6;
        var rng = new Random(3);
        var y = RowMatrix.Packed(30, k);
        foreach (ref var v in y.All) v = (float)rng.NextDouble() - 0.5f;
        var gram = Gram.Compute(y, 0.1f, new ParallelOptions());
        int[] items = [1, 4, 5, 11, 17, 29];
        float[] confidenceMinusOne = [1, 4, 0.5f, 9, 2, 3];
        var exact = new float[k];
        ExactLeastSquares.SolveRow(items, confidenceMinusOne, y, gram, exact, new ExactLeastSquares.SolveScratch(k));
        var cg = new float[k];
        ConjugateGradientSolver.SolveRow(items, confidenceMinusOne, y, gram, cg, steps: 3 * k, new ConjugateGradientSolver.CgScratch(k));
        for (int c = 0; c < k; c++) Assert.Equal(exact[c], cg[c], 1e-3f * Math.Max(1f, Math.Abs(exact[c])));
    }

    [Vector512Fact]
    public void TheRegisterKernelFor64FactorsAgreesWithTheGenericOne()
    {
        const int k = 64;
        var rng = new Random(3);
        var y = RowMatrix.Packed(300, k);
        foreach (ref var v in y.All) v = (float)rng.NextDouble() - 0.5f;
        var gram = Gram.Compute(y, 0.1f, new ParallelOptions());
        var items = Enumerable.Range(0, 40).Select(i => i * 7).ToArray();
        var confidenceMinusOne = items.Select(i => (float)(1 + i % 5)).ToArray();
        Assert.True(ConjugateGradient64.Applies(k));
        foreach (int steps in new[] { 3, 200 })
        {
            var generic = Enumerable.Range(0, k).Select(i => 0.01f * (i % 7)).ToArray();
            var special = (float[])generic.Clone();
            ConjugateGradientSolver.SolveRow(items, confidenceMinusOne, y, gram, generic, steps, new ConjugateGradientSolver.CgScratch(k));
            ConjugateGradient64.SolveRow(items, confidenceMinusOne, y, gram, special, steps);
            for (int c = 0; c < k; c++) Assert.Equal(generic[c], special[c], 1e-5f);
        }
        var exact = new float[k];
        ExactLeastSquares.SolveRow(items, confidenceMinusOne, y, gram, exact, new ExactLeastSquares.SolveScratch(k));
        var converged = new float[k];
        ConjugateGradient64.SolveRow(items, confidenceMinusOne, y, gram, converged, 200);
        for (int c = 0; c < k; c++) Assert.Equal(exact[c], converged[c], 1e-4f);
        var empty = Enumerable.Repeat(1f, k).ToArray();
        ConjugateGradient64.SolveRow([], [], y, gram, empty, 3);
        Assert.All(empty, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ThreeConjugateGradientStepsFromAWarmStartAreCloseToExact()
    {
        // the regime ALS runs in: the previous iteration's factors are a good start
        var cg = Train(new AlsOptions { Factors = 16, Iterations = 15, Seed = 1 });
        var exact = Train(new AlsOptions { Factors = 16, Iterations = 15, Seed = 1, Solver = AlsSolver.Cholesky });
        double overlap = 0;
        for (int u = 0; u < Topics.Rows; u++)
            overlap += cg.Recommend(u, Topics, 10).Ids.Intersect(exact.Recommend(u, Topics, 10).Ids).Count() / 10.0;
        Assert.True(overlap / Topics.Rows > 0.8, $"mean top-10 overlap {overlap / Topics.Rows:F3}");
    }

    [Fact]
    public void ExactAlsNeverIncreasesTheLoss()
    {
        var log = new ProgressLog();
        Train(new AlsOptions { Factors = 8, Iterations = 8, Solver = AlsSolver.Cholesky, CalculateTrainingLoss = true }, progress: log);
        var losses = log.Reports.Select(p => p.Loss!.Value).ToArray();
        Assert.Equal(8, losses.Length);
        for (int i = 1; i < losses.Length; i++) Assert.True(losses[i] <= losses[i - 1] * (1 + 1e-5), $"loss rose at {i}: {losses[i - 1]} → {losses[i]}");
    }

    [Fact]
    public void ConjugateGradientAlsLowersTheLoss()
    {
        var log = new ProgressLog();
        Train(new AlsOptions { Factors = 8, Iterations = 8, CalculateTrainingLoss = true }, progress: log);
        var losses = log.Reports.Select(p => p.Loss!.Value).ToArray();
        Assert.True(losses[^1] < 0.9 * losses[0], $"{losses[0]} → {losses[^1]}");
        Assert.All(log.Reports, p => Assert.True(p.Elapsed > TimeSpan.Zero));
    }

    [Fact]
    public void LossWithoutTheOptionIsNotComputed()
    {
        var log = new ProgressLog();
        Train(new AlsOptions { Factors = 4, Iterations = 2 }, progress: log);
        Assert.All(log.Reports, p => Assert.Null(p.Loss));
    }

    [Fact]
    public void TheThreadCountDoesNotChangeTheFactors()
    {
        // 64 factors: the register kernel where the CPU has 512-bit vectors
        var one = Train(new AlsOptions { Factors = 64, Iterations = 5, Threads = 1, Seed = 9 });
        var two = Train(new AlsOptions { Factors = 64, Iterations = 5, Threads = 2, Seed = 9 });
        Assert.Equal(one.UserFactorArray(), two.UserFactorArray());
        Assert.Equal(one.ItemFactorArray(), two.ItemFactorArray());
        var other = Train(new AlsOptions { Factors = 64, Iterations = 5, Threads = 2, Seed = 10 });
        Assert.NotEqual(one.ItemFactorArray(), other.ItemFactorArray());
    }

    [Fact]
    public void FoldInOfATrainingUsersItemsReproducesTheirRecommendations()
    {
        var model = Train(new AlsOptions { Factors = 16, Iterations = 20 });
        double overlap = 0, cosine = 0;
        const int users = 40;
        for (int u = 0; u < users; u++)
        {
            var folded = model.FoldIn(Topics.RowIndices(u), Topics.RowValues(u));
            cosine += Cosine(folded, model.UserFactors(u));
            var fromFold = model.RecommendFor(folded, 10, Topics.RowIndices(u)).Ids;
            overlap += fromFold.Intersect(model.Recommend(u, Topics, 10).Ids).Count() / 10.0;
        }
        Assert.True(cosine / users > 0.95, $"mean cosine {cosine / users:F3}");
        Assert.True(overlap / users > 0.8, $"mean top-10 overlap {overlap / users:F3}");
    }

    [Fact]
    public void FoldInSumsRepeatsIgnoresNonPositiveCountsAndChecksItsArguments()
    {
        var model = Train(new AlsOptions { Factors = 4, Iterations = 3 });
        Assert.Equal(model.FoldIn([3, 7], [2, 1]), model.FoldIn([7, 3, 3, 9], [1, 1, 1, 0]));
        Assert.Equal(new float[4], model.FoldIn([], []));
        Assert.Throws<ArgumentException>(() => model.FoldIn([1, 2], [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.FoldIn([model.ItemCount], [1]));
        var r = model.RecommendForItems([0, 6, 12], [3, 1, 1], 10);
        Assert.Equal(10, r.Count);
        Assert.DoesNotContain(0, r.Ids);
        Assert.DoesNotContain(12, r.Ids);
    }

    [Fact]
    public void NewListenersOfATopicAreRecommendedThatTopic()
    {
        var model = Train(new AlsOptions { Factors = 16, Iterations = 15 });
        // topic 2 = items 2, 8, 14, ...
        var r = model.RecommendForItems([2, 8, 14, 20], [1, 1, 1, 1], 10);
        Assert.True(r.Ids.Count(i => i % 6 == 2) >= 9, string.Join(", ", r.Ids));
    }

    [Fact]
    public void StoredFactorsRebuildTheSameModel()
    {
        var model = Train(new AlsOptions { Factors = 8, Iterations = 3 });
        var copy = AlsModel.FromFactors(model.Options, model.UserFactorArray(), model.ItemFactorArray());
        Assert.Equal((model.UserCount, model.ItemCount), (copy.UserCount, copy.ItemCount));
        Assert.Equal(model.Recommend(5, Topics, 10), copy.Recommend(5, Topics, 10), new ScoredItemsComparer());
        Assert.Equal(model.Score(5, 9), Simd.Dot(model.UserFactors(5), model.ItemFactors(9)));
        Assert.Throws<ArgumentException>(() => AlsModel.FromFactors(model.Options, new float[7], new float[8]));
    }

    [Fact]
    public void ConfidenceFollowsTheScaling()
    {
        var linear = new AlsOptions { Alpha = 40 };
        Assert.Equal(120f, linear.ConfidenceMinusOne(3));
        var log = new AlsOptions { Alpha = 2, Scaling = ConfidenceScaling.Log, LogEpsilon = 0.5f };
        Assert.Equal(2 * MathF.Log(1 + 3 / 0.5f), log.ConfidenceMinusOne(3), 1e-6f);
        var model = Train(new AlsOptions { Factors = 8, Iterations = 10, Scaling = ConfidenceScaling.Log, Alpha = 5 });
        Assert.True(model.RecommendForItems([1, 7, 13], [1, 1, 1], 5).Ids.All(i => i % 6 == 1));
    }

    [Fact]
    public void UsersAndItemsWithoutInteractionsGetZeroFactors()
    {
        var m = InteractionMatrix.FromInteractions([new Interaction(0, 0, 1), new Interaction(1, 1, 2)], 3, 3);
        var model = Train(new AlsOptions { Factors = 2, Iterations = 2 }, m);
        Assert.Equal(new float[2], model.UserFactors(2).ToArray());
        Assert.Equal(new float[2], model.ItemFactors(2).ToArray());
        Assert.DoesNotContain(2, model.SimilarItems(0, 5).Ids);
    }

    [Theory]
    [InlineData("Factors")]
    [InlineData("Regularization")]
    [InlineData("Alpha")]
    [InlineData("LogEpsilon")]
    [InlineData("Iterations")]
    [InlineData("ConjugateGradientSteps")]
    [InlineData("InitialScale")]
    [InlineData("Threads")]
    public void InvalidOptionsAreRejectedWhenTheTrainerIsMade(string name)
    {
        var bad = name switch
        {
            "Factors" => new AlsOptions { Factors = 0 },
            "Regularization" => new AlsOptions { Regularization = -1 },
            "Alpha" => new AlsOptions { Alpha = float.NaN },
            "LogEpsilon" => new AlsOptions { LogEpsilon = 0 },
            "Iterations" => new AlsOptions { Iterations = 0 },
            "ConjugateGradientSteps" => new AlsOptions { ConjugateGradientSteps = 0 },
            "InitialScale" => new AlsOptions { InitialScale = 0 },
            _ => new AlsOptions { Threads = 0 },
        };
        var e = Assert.Throws<OptionOutOfRangeException>(() => new AlsTrainer(bad));
        Assert.Equal(name, e.Option);
        Assert.Equal($"{name} {e.Rule}", e.Message);
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        Simd.Dot(a, b) / (Simd.Norm(a) * (double)Simd.Norm(b));
}

internal sealed class ScoredItemsComparer : IEqualityComparer<ScoredItems>
{
    public bool Equals(ScoredItems? x, ScoredItems? y) =>
        x is not null && y is not null && x.Ids.SequenceEqual(y.Ids) && x.Scores.SequenceEqual(y.Scores);

    public int GetHashCode(ScoredItems obj) => obj.Count;
}
