namespace Earworm.Learning.Tests.Factorization;

public class InteractionWeightingTests
{
    // 3 documents (rows) × 3 terms (columns)
    private static readonly InteractionMatrix M = InteractionMatrix.FromInteractions(
        [new(0, 0, 4), new(0, 1, 1), new(1, 0, 2), new(2, 2, 9)], 3, 3);

    [Fact]
    public void Bm25MatchesImplicitsFormulaWorkedByHand()
    {
        // idf = log 3 − log(1 + df): df = [2, 1, 1]; row sums [5, 2, 9], mean 16/3
        var w = InteractionWeighting.Bm25(M, k1: 100, b: 0.8f);
        double Idf(int df) => Math.Log(3) - Math.Log(1 + df);
        double Norm(double rowSum) => 0.2 + 0.8 * rowSum / (16.0 / 3);
        double Expected(double r, double rowSum, int df) => r * 101 / (100 * Norm(rowSum) + r) * Idf(df);
        // column 0 has idf log 3 − log 3 = 0: those entries vanish
        Assert.False(w.Contains(0, 0));
        Assert.Equal(Expected(1, 5, 1), w[0, 1], 1e-6);
        Assert.Equal(Expected(9, 9, 1), w[2, 2], 1e-6);
    }

    [Fact]
    public void TfIdfIsRootCountTimesIdf()
    {
        var w = InteractionWeighting.TfIdf(M);
        Assert.Equal(Math.Sqrt(9) * (Math.Log(3) - Math.Log(2)), w[2, 2], 1e-6);
        Assert.Equal(1 * (Math.Log(3) - Math.Log(2)), w[0, 1], 1e-6);
    }

    [Fact]
    public void NormalizedRowsHaveUnitLength()
    {
        var w = InteractionWeighting.NormalizeRows(M);
        Assert.Equal(4 / Math.Sqrt(17), w[0, 0], 1e-6);
        Assert.Equal(1f, w[1, 0], 1e-6);
    }
}
