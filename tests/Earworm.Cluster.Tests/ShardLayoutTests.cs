namespace Earworm.Cluster.Tests;

public sealed class ShardLayoutTests
{
    private static readonly string[] Three = ["127.0.0.1:11111", "127.0.0.1:11112", "127.0.0.1:11113"];

    [Fact]
    public void Each_shard_is_held_by_distinct_silos_the_same_whatever_order_the_members_come_in()
    {
        var layout = new ShardLayout(Three, 6, 2);
        var shuffled = new ShardLayout([Three[2], Three[0], Three[1], Three[0]], 6, 2);
        for (int s = 0; s < 6; s++)
        {
            Assert.Equal(2, layout.HoldersOf(s).Count);
            Assert.Equal(2, layout.HoldersOf(s).Distinct().Count());
            Assert.Equal(layout.HoldersOf(s), shuffled.HoldersOf(s));
        }
        // every replica is somewhere, and a silo's shards are the ones naming it
        Assert.Equal(12, Three.Sum(silo => layout.ShardsOf(silo).Count));
        foreach (var silo in Three)
            Assert.All(layout.ShardsOf(silo), s => Assert.Contains(silo, layout.HoldersOf(s)));
        Assert.Equal(3, new ShardLayout(Three, 6, 2).Silos.Count);
    }

    [Fact]
    public void Fewer_silos_than_replicas_hold_every_shard_and_no_silo_holds_none()
    {
        var one = new ShardLayout([Three[0]], 6, 2);
        Assert.Equal(1, one.Replicas);
        Assert.Equal([0, 1, 2, 3, 4, 5], one.ShardsOf(Three[0]));
        var none = new ShardLayout([], 6, 2);
        Assert.Empty(none.HoldersOf(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => none.HoldersOf(6));
    }

    [Fact]
    public void Replicas_spread_over_the_silos()
    {
        var silos = Enumerable.Range(0, 4).Select(i => $"10.0.0.{i}:11111").ToArray();
        var layout = new ShardLayout(silos, 240, 2);
        Assert.All(silos, s => Assert.InRange(layout.ShardsOf(s).Count, 80, 160)); // 120 each on average
    }

    [Fact]
    public void When_a_silo_leaves_only_its_shards_gain_a_holder_and_their_survivor_keeps_them()
    {
        var before = new ShardLayout(Three, 60, 2);
        var after = new ShardLayout([Three[0], Three[2]], 60, 2);
        for (int s = 0; s < 60; s++)
        {
            var held = before.HoldersOf(s);
            if (!held.Contains(Three[1])) Assert.Equal(held, after.HoldersOf(s));
            else Assert.Contains(held.Single(h => h != Three[1]), after.HoldersOf(s));
        }
        // back on the same endpoint, it holds what it held
        var back = new ShardLayout(Three, 60, 2);
        for (int s = 0; s < 60; s++) Assert.Equal(before.HoldersOf(s), back.HoldersOf(s));
    }
}
