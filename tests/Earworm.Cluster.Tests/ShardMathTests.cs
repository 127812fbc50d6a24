namespace Earworm.Cluster.Tests;

public sealed class ShardMathTests
{
    [Fact]
    public void Consecutive_ids_spread_evenly_and_every_silo_computes_the_same_shard()
    {
        var counts = new int[6];
        for (long id = 1; id <= 60_000; id++) counts[ShardMath.ShardOf(id, 6)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        Assert.Equal(ShardMath.ShardOf(12345, 6), ShardMath.ShardOf(12345, 6));
        Assert.Equal(0, ShardMath.ShardOf(42, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardMath.ShardOf(1, 0));
    }

    [Fact]
    public void Merge_keeps_the_best_k_of_the_shards_that_answered_and_counts_them()
    {
        var a = new ShardAnswer { Ids = [1, 2], Scores = [0.9f, 0.5f] };
        var b = new ShardAnswer { Ids = [3, 4], Scores = [0.8f, 0.7f] };
        var (best, coverage) = ShardMath.Merge([a, null, b], 3);
        Assert.Equal([1L, 3, 4], best.Select(n => n.Key));
        Assert.Equal(2.0 / 3, coverage, 1e-12);
        var (none, zero) = ShardMath.Merge([null, null], 5);
        Assert.Empty(none);
        Assert.Equal(0, zero);
        // equal scores: the lower id first, so every silo merges alike
        var (tied, _) = ShardMath.Merge([new ShardAnswer { Ids = [9], Scores = [0.5f] }, new ShardAnswer { Ids = [7], Scores = [0.5f] }], 2);
        Assert.Equal([7L, 9], tied.Select(n => n.Key));
    }

    [Fact]
    public void Shard_keys_round_trip_and_bad_ones_are_refused()
    {
        Assert.Equal(("audio", 2, 6, "127.0.0.1:11111"), Grains.ShardKey.Parse(Grains.ShardKey.Of("audio", 2, 6, "127.0.0.1:11111")));
        Assert.Throws<ArgumentException>(() => Grains.ShardKey.Parse("audio/6/6@127.0.0.1:1"));
        Assert.Throws<ArgumentException>(() => Grains.ShardKey.Parse("audio/6/2"));
        Assert.Throws<ArgumentException>(() => Grains.ShardKey.Parse("audio/6/2@"));
        Assert.Throws<ArgumentException>(() => Grains.ShardKey.Parse("audio"));
    }
}
