using Earworm.Learning.Numerics;

namespace Earworm.Learning.Factorization;

/// <summary>
/// The objective ALS minimises (Hu et al. 2008, eq. 3), normalised as benfred/implicit's
/// <c>calculate_loss</c>: [Σᵤᵢ cᵤᵢ·(pᵤᵢ − xᵤ·yᵢ)² + λ·(Σ‖xᵤ‖² + Σ‖yᵢ‖²)] / (Σ observed c + unobserved count),
/// where unobserved pairs have c = 1 and p = 0. Computed without visiting unobserved pairs:
/// Σ over all items of (xᵤ·yᵢ)² is xᵤᵀ·YᵀY·xᵤ, and each observed pair replaces its term.
/// Sums are taken per fixed block of users and added in block order (deterministic).
/// </summary>
internal static class AlsLoss
{
    private const int BlockRows = 4096;

    public static double Compute(ConfidenceRows userRows, RowMatrix users, RowMatrix items, float regularization, ParallelOptions parallel)
    {
        int k = users.Columns;
        var gram = Gram.Compute(items, 0f, parallel);
        int blocks = (userRows.Rows + BlockRows - 1) / BlockRows;
        var loss = new double[blocks];
        var confidence = new double[blocks];
        var userNorm = new double[blocks];
        Parallel.For(0, blocks, parallel, block =>
        {
            var r = new float[k];
            double l = 0, c = 0, n = 0;
            int end = Math.Min(userRows.Rows, (block + 1) * BlockRows);
            for (int u = block * BlockRows; u < end; u++)
            {
                var x = users.Row(u);
                ConjugateGradientSolver.SymmetricProduct(gram, k, x, r, negate: false);
                l += Simd.Dot(x, r);
                var idx = userRows.Indices(u);
                var cm1 = userRows.ConfidenceMinusOne(u);
                for (int j = 0; j < idx.Length; j++)
                {
                    double s = Simd.Dot(x, items.Row(idx[j]));
                    double conf = 1 + cm1[j];
                    l += conf * (1 - s) * (1 - s) - s * s;
                    c += conf;
                }
                n += Simd.Dot(x, x);
            }
            loss[block] = l;
            confidence[block] = c;
            userNorm[block] = n;
        });
        double total = 0, totalConfidence = 0, norms = 0;
        for (int b = 0; b < blocks; b++)
        {
            total += loss[b];
            totalConfidence += confidence[b];
            norms += userNorm[b];
        }
        for (int i = 0; i < items.Rows; i++) norms += Simd.Dot(items.Row(i), items.Row(i));
        total += regularization * norms;
        double unobserved = (double)userRows.Rows * userRows.Columns - userRows.NonZeros;
        return total / (totalConfidence + unobserved);
    }
}
