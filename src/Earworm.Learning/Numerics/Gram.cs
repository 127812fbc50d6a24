namespace Earworm.Learning.Numerics;

/// <summary>
/// YᵀY of a factor matrix (the k × k Gram matrix every ALS half-step starts from), in parallel
/// over fixed blocks of rows whose partial sums are added in block order, so the result does not
/// depend on the number of threads or their timing.
/// </summary>
internal static class Gram
{
    private const int BlockRows = 2048;

    /// <summary>Returns YᵀY + <paramref name="diagonal"/>·I as a row-major k × k float array.</summary>
    public static float[] Compute(RowMatrix y, float diagonal, ParallelOptions parallel)
    {
        int k = y.Columns;
        int blocks = (y.Rows + BlockRows - 1) / BlockRows;
        var partial = new float[blocks][];
        Parallel.For(0, blocks, parallel, b =>
        {
            var g = new float[k * k];
            int end = Math.Min(y.Rows, (b + 1) * BlockRows);
            for (int r = b * BlockRows; r < end; r++)
            {
                var row = y.Row(r);
                for (int i = 0; i < k; i++)
                {
                    float v = row[i];
                    if (v != 0) Simd.AddScaled(v, row, g.AsSpan(i * k, k));
                }
            }
            partial[b] = g;
        });
        var sum = new double[k * k];
        foreach (var g in partial)
            for (int i = 0; i < sum.Length; i++) sum[i] += g[i];
        var result = new float[k * k];
        for (int i = 0; i < sum.Length; i++) result[i] = (float)sum[i];
        for (int i = 0; i < k; i++) result[i * k + i] += diagonal;
        return result;
    }
}
