namespace Earworm.Catalog.Tests;

public sealed class NameOrderTests
{
    [Fact]
    public void Numbers_in_names_go_by_their_value_and_the_rest_by_character_codes()
    {
        string[] names = ["lastfm-2k:1000", "lastfm-2k:10", "lastfm-2k:2", "lastfm-2k:100", "bob", "Zoe", "alice", "a7", "a07", "a007b", "a10", "", "7", "lastfm-2k:"];
        Assert.Equal(["", "7", "Zoe", "a07", "a7", "a007b", "a10", "alice", "bob", "lastfm-2k:", "lastfm-2k:2", "lastfm-2k:10", "lastfm-2k:100", "lastfm-2k:1000"],
            names.Order(NameOrder.Instance));
    }

    [Fact]
    public void It_is_a_total_order()
    {
        string[] names = ["a1b2", "a01b2", "a1b02", "a1b", "a1", "a", "b", "a2", "a10", "a9z", "a9", "9", "09", "x"];
        foreach (var x in names)
        {
            Assert.Equal(0, NameOrder.Instance.Compare(x, x));
            foreach (var y in names)
            {
                int xy = NameOrder.Instance.Compare(x, y);
                Assert.Equal(Math.Sign(xy), -Math.Sign(NameOrder.Instance.Compare(y, x)));
                if (x != y) Assert.NotEqual(0, xy);
                foreach (var z in names)
                    if (xy < 0 && NameOrder.Instance.Compare(y, z) < 0) Assert.True(NameOrder.Instance.Compare(x, z) < 0, $"{x} < {y} < {z}");
            }
        }
    }
}
