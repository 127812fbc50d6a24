using Earworm.Learning.Baselines;
using Earworm.Learning.Embeddings;
using Earworm.Learning.Factorization;
using Earworm.Learning.Hybrid;
using Earworm.Learning.Neighbours;

namespace Earworm.Learning.Tests.Contract;

// One class per model: the shared contract facts run against each. Model-specific facts live
// beside the model's other tests.

// ALS gets one factor per block: with spare factors the exact solver also fits the within-block
// pattern of counts (1..3), and items with the same pattern in different blocks then share a
// direction, which is right for the data but not what the block-mates fact checks.
public sealed class AlsConjugateGradientContract : LearnedRecommenderContractTests
{
    protected override IRecommenderTrainer CreateTrainer(int seed) =>
        new AlsTrainer(new AlsOptions { Factors = Blocks, Iterations = 15, Threads = 2, Seed = seed });
}

public sealed class AlsCholeskyContract : LearnedRecommenderContractTests
{
    protected override IRecommenderTrainer CreateTrainer(int seed) =>
        new AlsTrainer(new AlsOptions { Factors = Blocks, Iterations = 15, Solver = AlsSolver.Cholesky, Threads = 2, Seed = seed });
}

public sealed class BprContract : LearnedRecommenderContractTests
{
    protected override int WithheldRankWithin => 3;

    protected override IRecommenderTrainer CreateTrainer(int seed) =>
        new BprTrainer(new BprOptions { Factors = 8, Epochs = 300, LearningRate = 0.05f, Threads = 2, Seed = seed });
}

// The hybrid without features is LightFM's pure collaborative model (WARP, Adagrad); one thread, so a seed repeats
// exactly (two race without locks, and the same-seed fact then fails now and then).
public sealed class HybridContract : LearnedRecommenderContractTests
{
    protected override int WithheldRankWithin => 3;

    protected override IRecommenderTrainer CreateTrainer(int seed) =>
        new HybridTrainer(ItemFeatures.Create(Matrix.Columns, []), new HybridOptions { Factors = 8, Epochs = 100, Threads = 1, Seed = seed });
}

public sealed class Track2VecContract : LearnedRecommenderContractTests
{
    protected override int WithheldRankWithin => 3;

    protected override IRecommenderTrainer CreateTrainer(int seed) =>
        new Track2VecTrainer(new Track2VecOptions
        {
            Dimensions = 16, Window = 9, Epochs = 200, MinCount = 1, Sample = 0, Threads = 2, Seed = seed,
        });
}

public sealed class ItemKnnCosineContract : LearnedRecommenderContractTests
{
    protected override IRecommenderTrainer CreateTrainer(int seed) => new ItemKnnTrainer();
}

public sealed class ItemKnnBm25Contract : LearnedRecommenderContractTests
{
    protected override IRecommenderTrainer CreateTrainer(int seed) => new ItemKnnTrainer(new ItemKnnOptions { Similarity = ItemSimilarity.Bm25 });
}

public sealed class PopularityContract : RecommenderContractTests
{
    protected override IRecommenderTrainer CreateTrainer(int seed) => new PopularityTrainer();
}

public sealed class RandomContract : RecommenderContractTests
{
    protected override IRecommenderTrainer CreateTrainer(int seed) => new RandomTrainer(seed);

    [Fact]
    public void AnotherSeedGivesAnotherOrder()
    {
        var a = Fit(1);
        var b = Fit(2);
        Assert.NotEqual(a.Recommend(0, Matrix, 10).Ids, b.Recommend(0, Matrix, 10).Ids);
    }
}
