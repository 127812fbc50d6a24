using Earworm.Learning.Numerics;

namespace Earworm.Learning.Tests.Numerics;

public class NumericsTests
{
    [Fact]
    public void VectorKernelsMatchScalarLoopsAtEveryLength()
    {
        var rng = new Random(1);
        for (int n = 0; n <= 70; n++)
        {
            var x = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
            double dot = 0;
            for (int i = 0; i < n; i++) dot += x[i] * y[i];
            Assert.Equal(dot, Simd.Dot(x, y), 1e-5);

            var axpy = (float[])y.Clone();
            Simd.AddScaled(0.3f, x, axpy);
            for (int i = 0; i < n; i++) Assert.Equal(y[i] + 0.3f * x[i], axpy[i], 1e-6f);

            var output = (float[])y.Clone();
            var acc = Enumerable.Repeat(0.5f, n).ToArray();
            Simd.AccumulateAndUpdate(-0.2f, x, output, acc);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(0.5f - 0.2f * y[i], acc[i], 1e-6f);
                Assert.Equal(y[i] - 0.2f * x[i], output[i], 1e-6f);
            }
        }
    }

    [Fact]
    public void RowsOfAPaddedMatrixStartOn64ByteBoundaries()
    {
        var m = RowMatrix.Padded(5, 100);
        Assert.Equal(112, m.Stride);
        Assert.Equal(100, m.Row(3).Length);
        unsafe
        {
            for (int r = 0; r < 5; r++)
                fixed (float* p = m.Row(r)) Assert.Equal(0L, (long)p % 64);
        }
    }

    [Fact]
    public void TopKEqualsAFullSortWithTiesToTheLowerId()
    {
        var rng = new Random(2);
        var scores = Enumerable.Range(0, 500).Select(_ => (float)rng.Next(50)).ToArray();
        scores[7] = float.NaN;
        scores[8] = float.NegativeInfinity;
        int[] excluded = [3, 100, 499];
        var expected = Enumerable.Range(0, 500)
            .Where(i => float.IsFinite(scores[i]) && !excluded.Contains(i) && i % 5 != 0)
            .OrderByDescending(i => scores[i]).ThenBy(i => i).Take(25).ToArray();
        var actual = TopK.Select(scores, 25, excluded, i => i % 5 != 0);
        Assert.Equal(expected, actual.Ids);
        Assert.Equal(expected.Select(i => scores[i]), actual.Scores);
        Assert.Equal(498, TopK.Select(scores, 1000, default, null).Count);
        Assert.Empty(TopK.Select(scores, 0, default, null).Ids);
    }

    [Fact]
    public void CholeskySolvesASymmetricPositiveDefiniteSystem()
    {
        const int n = 7;
        var rng = new Random(3);
        var b0 = Enumerable.Range(0, n * n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var a = new double[n * n]; // BᵀB + I
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < n; k++) a[i * n + j] += b0[k * n + i] * b0[k * n + j];
                if (i == j) a[i * n + j] += 1;
            }
        var rhs = Enumerable.Range(0, n).Select(i => (double)i - 3).ToArray();
        var x = (double[])rhs.Clone();
        var work = (double[])a.Clone();
        Cholesky.SolveInPlace(work, n, x);
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++) s += a[i * n + j] * x[j];
            Assert.Equal(rhs[i], s, 1e-10);
        }
        Assert.False(Cholesky.TryFactor(new double[] { 1, 2, 2, 1 }, 2));
    }

    [Fact]
    public void GramMatrixIsYTransposeYPlusTheDiagonalWhateverTheThreads()
    {
        var y = RowMatrix.Packed(5000, 9);
        var rng = new Random(4);
        foreach (ref var v in y.All) v = (float)rng.NextDouble();
        var one = Gram.Compute(y, 0.5f, new ParallelOptions { MaxDegreeOfParallelism = 1 });
        var two = Gram.Compute(y, 0.5f, new ParallelOptions { MaxDegreeOfParallelism = 2 });
        Assert.Equal(one, two);
        double g01 = 0, g22 = 0;
        for (int r = 0; r < 5000; r++)
        {
            g01 += y.Row(r)[0] * (double)y.Row(r)[1];
            g22 += y.Row(r)[2] * (double)y.Row(r)[2];
        }
        Assert.Equal(g01, one[1], g01 * 1e-5);
        Assert.Equal(one[1], one[9]);
        Assert.Equal(g22 + 0.5, one[2 * 9 + 2], g22 * 1e-5);
    }
}
