namespace Earworm.Learning.Numerics;

/// <summary>
/// Dense Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite n × n matrix (row-major,
/// double precision, in place) and the two triangular solves. Used for the exact least-squares
/// step of ALS (the reference the conjugate-gradient solver is tested against), for fold-in and for the ridge
/// regression of the cold-start baseline.
/// </summary>
public static class Cholesky
{
    /// <summary>Overwrites the lower triangle of <paramref name="a"/> with L. Returns false when A is not positive definite.</summary>
    public static bool TryFactor(Span<double> a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
            if (!(d > 0)) return false;
            d = Math.Sqrt(d);
            a[j * n + j] = d;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = s / d;
            }
        }
        return true;
    }

    /// <summary>Solves L·Lᵀ·x = b in place (b becomes x), L from <see cref="TryFactor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> l, int n, Span<double> b)
    {
        for (int i = 0; i < n; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * n + k] * b[k];
            b[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
            b[i] = s / l[i * n + i];
        }
    }

    /// <summary>Solves A·x = b for symmetric positive-definite A (both overwritten; b becomes x).</summary>
    /// <exception cref="ArgumentException">A is not positive definite.</exception>
    public static void SolveInPlace(Span<double> a, int n, Span<double> b)
    {
        if (!TryFactor(a, n))
            throw new ArgumentException("The matrix is not positive definite (is the regularization zero with too few items?).", nameof(a));
        Solve(a, n, b);
    }
}
