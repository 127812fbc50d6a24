using Earworm.Learning.Numerics;

namespace Earworm.Learning.Factorization;

/// <summary>
/// The exact ALS row solve of Hu, Koren &amp; Volinsky (2008), eq. 4:
/// xᵤ = (YᵀY + λI + Σᵢ aᵢ·yᵢyᵢᵀ)⁻¹ · Σᵢ (1 + aᵢ)·yᵢ with aᵢ = cᵤᵢ − 1, formed in double precision and
/// solved by Cholesky (benfred/implicit's <c>least_squares</c>). The reference for the CG solver,
/// the <see cref="AlsSolver.Cholesky"/> option, and the fold-in of a new user.
/// </summary>
internal static class ExactLeastSquares
{
    internal sealed class SolveScratch(int factors)
    {
        public readonly double[] A = new double[factors * factors];
        public readonly double[] B = new double[factors];
    }

    public static void SolveAll(ConfidenceRows rows, RowMatrix x, RowMatrix y, float[] gram, ParallelOptions parallel)
    {
        int k = x.Columns;
        Parallel.For(0, rows.Rows, parallel, () => new SolveScratch(k), (u, _, s) =>
        {
            SolveRow(rows.Indices(u), rows.ConfidenceMinusOne(u), y, gram, x.Row(u), s);
            return s;
        }, _ => { });
    }

    /// <summary>Writes the exact solution for one row into <paramref name="x"/>; <paramref name="gram"/> = YᵀY + λI.</summary>
    public static void SolveRow(ReadOnlySpan<int> items, ReadOnlySpan<float> confidenceMinusOne, RowMatrix y,
        ReadOnlySpan<float> gram, Span<float> x, SolveScratch scratch)
    {
        int k = x.Length;
        if (items.IsEmpty)
        {
            x.Clear();
            return;
        }
        var a = scratch.A.AsSpan();
        var b = scratch.B.AsSpan();
        for (int i = 0; i < a.Length; i++) a[i] = gram[i];
        b.Clear();
        for (int j = 0; j < items.Length; j++)
        {
            var yi = y.Row(items[j]);
            double c1 = confidenceMinusOne[j];
            for (int r = 0; r < k; r++)
            {
                double s = c1 * yi[r];
                b[r] += (1 + c1) * yi[r];
                if (s == 0) continue;
                var row = a.Slice(r * k, k);
                for (int c = 0; c < k; c++) row[c] += s * yi[c];
            }
        }
        Cholesky.SolveInPlace(a, k, b);
        for (int r = 0; r < k; r++) x[r] = (float)b[r];
    }
}
