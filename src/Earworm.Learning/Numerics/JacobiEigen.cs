namespace Earworm.Learning.Numerics;

/// <summary>
/// Every eigenvalue and eigenvector of a small symmetric matrix by the cyclic Jacobi method (Jacobi 1846; Golub &amp;
/// Van Loan, Matrix Computations, §8.5): plane rotations zero the off-diagonal entries one at a time until what is left
/// is rounding noise. Quadratically convergent and accurate for the few hundred dimensions it is meant for.
/// </summary>
public static class JacobiEigen
{
    private const int MaxSweeps = 100;

    /// <summary>The eigenvalues of the symmetric <paramref name="d"/> × <paramref name="d"/> <paramref name="matrix"/>
    /// (row-major; not changed), largest first, and the eigenvectors as the columns of a row-major d × d matrix.</summary>
    public static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> matrix, int d)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(d);
        if (matrix.Length != d * d) throw new ArgumentException($"{matrix.Length} values for a {d} × {d} matrix", nameof(matrix));
        var a = matrix.ToArray();
        var v = new double[d * d];
        for (int i = 0; i < d; i++) v[i * d + i] = 1;
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double off = 0, diag = 0;
            for (int p = 0; p < d; p++)
            {
                diag += a[p * d + p] * a[p * d + p];
                for (int q = p + 1; q < d; q++) off += a[p * d + q] * a[p * d + q];
            }
            if (off <= 1e-30 * Math.Max(diag, 1e-300)) break;
            for (int p = 0; p < d; p++)
                for (int q = p + 1; q < d; q++)
                {
                    double apq = a[p * d + q];
                    if (apq == 0) continue;
                    double theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < d; k++) // A ← A·J
                    {
                        double akp = a[k * d + p], akq = a[k * d + q];
                        a[k * d + p] = c * akp - s * akq;
                        a[k * d + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < d; k++) // A ← Jᵀ·A
                    {
                        double apk = a[p * d + k], aqk = a[q * d + k];
                        a[p * d + k] = c * apk - s * aqk;
                        a[q * d + k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < d; k++) // V ← V·J
                    {
                        double vkp = v[k * d + p], vkq = v[k * d + q];
                        v[k * d + p] = c * vkp - s * vkq;
                        v[k * d + q] = s * vkp + c * vkq;
                    }
                }
        }
        var order = Enumerable.Range(0, d).OrderByDescending(i => a[i * d + i]).ToArray();
        var values = order.Select(i => a[i * d + i]).ToArray();
        var vectors = new double[d * d];
        for (int c = 0; c < d; c++)
            for (int k = 0; k < d; k++) vectors[k * d + c] = v[k * d + order[c]];
        return (values, vectors);
    }
}
