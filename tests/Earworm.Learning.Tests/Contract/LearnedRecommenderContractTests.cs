namespace Earworm.Learning.Tests.Contract;

/// <summary>
/// The contract of models that learn structure: on the block matrix the one item of a user's block
/// the user has not played ranks first (implicit's checker-board test), and an item's most similar
/// items are its block mates.
/// </summary>
public abstract class LearnedRecommenderContractTests : RecommenderContractTests
{
    /// <summary>The withheld item must be within this many recommendations (1 = first).</summary>
    protected virtual int WithheldRankWithin => 1;

    /// <summary>Fraction of an item's BlockSize − 1 most similar items that must be block mates.</summary>
    protected virtual double MinimumBlockPurity => 1.0;

    // Beyond the withheld item every candidate is from another block with a near-zero score, so
    // only the first place is structure; the rest is noise a stochastic model need not repeat.
    protected override int StableTop => 1;

    [Fact]
    public void TheWithheldItemOfTheBlockRanksFirst()
    {
        var model = Fit();
        for (int u = 0; u < Matrix.Rows; u++)
        {
            var r = model.Recommend(u, Matrix, WithheldRankWithin);
            Assert.True(r.Ids.Contains(u), $"user {u}: withheld item not in [{string.Join(", ", r.Ids)}]");
        }
    }

    [Fact]
    public void AUserFoldedInFromTheirItemsGetsTheWithheldItemFirst()
    {
        var model = Fit();
        for (int u = 0; u < Matrix.Rows; u++)
        {
            var r = model.RecommendForItems(Matrix.RowIndices(u), Matrix.RowValues(u), WithheldRankWithin);
            Assert.True(r.Ids.Contains(u), $"user {u} folded in: withheld item not in [{string.Join(", ", r.Ids)}]");
        }
    }

    [Fact]
    public void SimilarItemsAreBlockMates()
    {
        var model = Fit();
        int mates = 0, total = 0;
        for (int i = 0; i < Matrix.Columns; i++)
        {
            var r = model.SimilarItems(i, BlockSize - 1);
            mates += r.Ids.Count(j => TestMatrices.BlockOf(j, BlockSize) == TestMatrices.BlockOf(i, BlockSize));
            total += BlockSize - 1;
        }
        Assert.True(mates >= MinimumBlockPurity * total, $"{mates} of {total} similar items are block mates");
    }
}
