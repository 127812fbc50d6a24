using Earworm.Learning.Hybrid;

namespace Earworm.Learning.Tests.Hybrid;

public sealed class HybridTrainerTests
{
    // Four blocks of ten items, each block's listeners play only its items; each item carries its block's tag
    // ("block0"…), the last item of every block is held back (cold: no plays at all) and one tag, "noise", is on
    // items of every block.
    private const int Blocks = 4, BlockSize = 10;

    private static (InteractionMatrix Train, ItemFeatures Features) ColdBlocks()
    {
        var all = TestMatrices.Blocks(Blocks, BlockSize);
        var kept = new List<Interaction>();
        for (int u = 0; u < all.Rows; u++)
            foreach (var i in all.RowIndices(u))
                if (i % BlockSize != BlockSize - 1) kept.Add(new Interaction(u, i, 1));
        var train = InteractionMatrix.FromInteractions(kept, all.Rows, all.Columns);
        var triples = Enumerable.Range(0, all.Columns).Select(i => (i, $"block{i / BlockSize}", 3.0))
            .Concat(Enumerable.Range(0, all.Columns).Where(i => i % 3 == 0).Select(i => (i, "noise", 1.0)));
        return (train, ItemFeatures.Create(all.Columns, triples));
    }

    [Theory]
    [InlineData(HybridLoss.Warp, 0f)]
    [InlineData(HybridLoss.Bpr, 0f)]
    [InlineData(HybridLoss.Warp, 2f)] // the tags weigh 2/(2 + n) in a played item's vector, whole in a cold one's
    public void AnItemNoOneHasPlayedRanksFirstAmongTheColdForTheListenersOfItsTag(HybridLoss loss, float damping)
    {
        var (train, features) = ColdBlocks();
        var model = new HybridTrainer(features, new HybridOptions { Factors = 8, Epochs = 60, Loss = loss, FeatureDamping = damping, Threads = 1, Seed = 5 }).Fit(train);
        var cold = Enumerable.Range(0, Blocks).Select(b => b * BlockSize + BlockSize - 1).ToHashSet();
        for (int u = 0; u < train.Rows; u++)
        {
            int block = TestMatrices.BlockOf(train.RowIndices(u)[0], BlockSize);
            var top = model.Recommend(u, train, 1, filter: cold.Contains);
            Assert.Equal(block * BlockSize + BlockSize - 1, Assert.Single(top.Ids));
        }
    }

    [Fact]
    public void AColdItemIsPlacedByItsFeaturesAloneAndAnUnknownOneByPlace()
    {
        var (train, features) = ColdBlocks();
        var model = new HybridTrainer(features, new HybridOptions { Factors = 8, Epochs = 30, Threads = 1, Seed = 5 }).Fit(train);
        var cold = model.ItemFactors(BlockSize - 1).ToArray();
        Assert.Contains(cold, x => x != 0); // a real vector, not the zero of an unplayed item in pure CF
        var (placed, _) = model.Place([("block0", 1f), ("never seen", 1f)]);
        Assert.Equal(model.FeatureVector("block0").ToArray(), placed);
        var similar = model.SimilarItems(BlockSize - 1, BlockSize - 1);
        Assert.All(similar.Ids, i => Assert.Equal(0, TestMatrices.BlockOf(i, BlockSize)));
    }

    [Fact]
    public void FeaturesOnOneItemAreLeftOutAndWeightsSumToOne()
    {
        var f = ItemFeatures.Create(3, [(0, "a", 1), (1, "a", 3), (1, "b", 1), (2, "c", 2), (0, "a", 1)]);
        Assert.Equal(["a"], f.Names);
        Assert.Equal([0], f.FeaturesOf(1).ToArray());
        Assert.Equal(1f, f.WeightsOf(0)[0]);
        Assert.False(f.Has(2));
    }

    [Fact]
    public void DampingBelowZeroIsRefused() =>
        Assert.Throws<OptionOutOfRangeException>(() => new HybridOptions { FeatureDamping = -1 }.Validate());
}
