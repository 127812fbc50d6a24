using Earworm.Learning.Numerics;

namespace Earworm.Learning.Factorization;

/// <summary>
/// The ALS half-step by conjugate gradient (Takács, Pilászy &amp; Tikk 2011, "Applications of the
/// conjugate gradient method for implicit feedback collaborative filtering"; the algorithm of
/// benfred/implicit's <c>least_squares_cg</c>). For each row u with items i and c − 1 = aᵢ it
/// improves xᵤ towards the solution of (YᵀY + λI + Σᵢ aᵢ·yᵢyᵢᵀ)·x = Σᵢ (1 + aᵢ)·yᵢ with a few CG
/// steps started from the current xᵤ. The k × k matrix is never formed: A·p is
/// (YᵀY + λI)·p + Σᵢ aᵢ·(yᵢ·p)·yᵢ, so a step costs O(n·k + k²).
/// </summary>
internal static class ConjugateGradientSolver
{
    /// <summary>CgScratch vectors of one worker thread.</summary>
    internal sealed class CgScratch(int factors)
    {
        public readonly float[] R = new float[factors];
        public readonly float[] P = new float[factors];
        public readonly float[] Ap = new float[factors];
    }

    /// <summary>Updates every row of <paramref name="x"/> given <paramref name="y"/>; <paramref name="gram"/> = YᵀY + λI.</summary>
    public static void SolveAll(ConfidenceRows rows, RowMatrix x, RowMatrix y, float[] gram, int steps, ParallelOptions parallel)
    {
        int k = x.Columns;
        if (ConjugateGradient64.Applies(k) && y.Stride == k)
        {
            Parallel.For(0, rows.Rows, parallel, u => ConjugateGradient64.SolveRow(rows.Indices(u), rows.ConfidenceMinusOne(u), y, gram, x.Row(u), steps));
            return;
        }
        Parallel.For(0, rows.Rows, parallel, () => new CgScratch(k), (u, _, s) =>
        {
            SolveRow(rows.Indices(u), rows.ConfidenceMinusOne(u), y, gram, x.Row(u), steps, s);
            return s;
        }, _ => { });
    }

    /// <summary>CG steps for one row; <paramref name="x"/> holds the starting point and receives the result.</summary>
    public static void SolveRow(ReadOnlySpan<int> items, ReadOnlySpan<float> confidenceMinusOne, RowMatrix y,
        ReadOnlySpan<float> gram, Span<float> x, int steps, CgScratch scratch)
    {
        if (items.IsEmpty)
        {
            x.Clear(); // the exact solution of (YᵀY + λI)·x = 0
            return;
        }
        int k = x.Length;
        Span<float> r = scratch.R, p = scratch.P, ap = scratch.Ap;

        // r = b − A·x = Σ (1 + a − a·(y·x))·y − (YᵀY + λI)·x
        SymmetricProduct(gram, k, x, r, negate: true);
        for (int j = 0; j < items.Length; j++)
        {
            var yi = y.Row(items[j]);
            float a = confidenceMinusOne[j];
            Simd.AddScaled(1 + a - a * Simd.Dot(yi, x), yi, r);
        }
        r.CopyTo(p);
        float rsOld = Simd.Dot(r, r);
        if (rsOld < 1e-20f) return;

        for (int step = 0; step < steps; step++)
        {
            SymmetricProduct(gram, k, p, ap, negate: false);
            for (int j = 0; j < items.Length; j++)
            {
                var yi = y.Row(items[j]);
                Simd.AddScaled(confidenceMinusOne[j] * Simd.Dot(yi, p), yi, ap);
            }
            float alpha = rsOld / Simd.Dot(p, ap);
            Simd.AddScaled(alpha, p, x);
            Simd.AddScaled(-alpha, ap, r);
            float rsNew = Simd.Dot(r, r);
            if (rsNew < 1e-20f) return;
            Simd.ScaleAndAdd(r, rsNew / rsOld, p);
            rsOld = rsNew;
        }
    }

    /// <summary>dest = ±G·v for symmetric row-major G (k × k), as Σ_b v[b]·G[b, :].</summary>
    internal static void SymmetricProduct(ReadOnlySpan<float> g, int k, ReadOnlySpan<float> v, Span<float> dest, bool negate)
    {
        dest.Clear();
        for (int b = 0; b < k; b++)
        {
            float vb = negate ? -v[b] : v[b];
            if (vb != 0) Simd.AddScaled(vb, g.Slice(b * k, k), dest);
        }
    }
}
