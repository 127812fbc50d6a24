using Earworm.Learning.Embeddings;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Tests.Embeddings;

public class AliasSamplerTests
{
    [Fact]
    public void DrawsInProportionToTheWeights()
    {
        int[] ids = [10, 20, 30, 40, 50];
        double[] weights = [1, 2, 3, 4, 0];
        var sampler = new AliasSampler(ids, weights);
        var rng = new FastRandom(5);
        var counts = new Dictionary<int, int>();
        const int draws = 1_000_000;
        for (int i = 0; i < draws; i++)
        {
            int id = sampler.Sample(ref rng);
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        Assert.False(counts.ContainsKey(50));
        for (int k = 0; k < 4; k++)
            Assert.Equal(weights[k] / 10, counts[ids[k]] / (double)draws, 0.003);
    }

    [Fact]
    public void UnigramToTheThreeQuartersFlattensPopularity()
    {
        // what track2vec feeds it: count^0.75
        double[] counts = [1000, 10];
        var sampler = new AliasSampler([0, 1], counts.Select(c => Math.Pow(c, 0.75)).ToArray());
        var rng = new FastRandom(1);
        int rare = 0;
        for (int i = 0; i < 200_000; i++) rare += sampler.Sample(ref rng);
        double expected = Math.Pow(10, 0.75) / (Math.Pow(10, 0.75) + Math.Pow(1000, 0.75));
        Assert.Equal(expected, rare / 200_000.0, 0.003);
    }

    [Fact]
    public void RejectsEmptyOrZeroWeights()
    {
        Assert.Throws<ArgumentException>(() => new AliasSampler([], []));
        Assert.Throws<ArgumentException>(() => new AliasSampler([1], [0]));
        Assert.Throws<ArgumentException>(() => new AliasSampler([1, 2], [1, -1]));
    }
}
