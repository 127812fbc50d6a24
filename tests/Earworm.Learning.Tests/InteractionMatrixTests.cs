namespace Earworm.Learning.Tests;

public class InteractionMatrixTests
{
    private static readonly Interaction[] Sample =
    [
        new(0, 2, 1), new(0, 0, 3), new(0, 2, 4), new(1, 1, 1), new(2, 0, 0), new(2, 3, 2),
    ];

    [Fact]
    public void SortsRowsSumsDuplicatesAndDropsZeros()
    {
        var m = InteractionMatrix.FromInteractions(Sample, 4, 4);
        Assert.Equal(4, m.NonZeros);
        Assert.Equal([0, 2], m.RowIndices(0).ToArray());
        Assert.Equal([3f, 5f], m.RowValues(0).ToArray());
        Assert.Equal(0, m.RowLength(3));
        Assert.Equal(5f, m[0, 2]);
        Assert.Equal(0f, m[2, 0]);
        Assert.False(m.Contains(2, 0));
    }

    [Fact]
    public void TransposeSwapsUsersAndItems()
    {
        var m = InteractionMatrix.FromInteractions(Sample, 4, 4);
        var t = m.Transpose();
        Assert.Equal((4, 4, 4), (t.Rows, t.Columns, t.NonZeros));
        foreach (var x in m.Entries()) Assert.Equal(x.Count, t[x.Item, x.User]);
        Assert.Equal([0], t.RowIndices(2).ToArray());
    }

    [Fact]
    public void IndicesOutsideTheShapeAreRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionMatrix.FromInteractions([new Interaction(5, 0, 1)], 2, 2));
}
