using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Factorization;

/// <summary>
/// <see cref="ConjugateGradientSolver.SolveRow"/> specialised for 64 factors on CPUs with 512-bit
/// vectors (Earworm's default size): x, r, p and A·p live in 16 registers for the whole row, so a
/// (row, step) pair costs one pass over the row's factor vectors with no loads or stores of the
/// accumulators, and (YᵀY + λI)·p runs with two sets of accumulators to hide the FMA latency.
/// Same arithmetic as the generic path up to the order of float additions.
/// </summary>
internal static class ConjugateGradient64
{
    public const int Factors = 64;

    public static bool Applies(int factors) => factors == Factors && Vector512.IsHardwareAccelerated;

    public static void SolveRow(ReadOnlySpan<int> items, ReadOnlySpan<float> confidenceMinusOne, RowMatrix y,
        ReadOnlySpan<float> gram, Span<float> x, int steps)
    {
        if (items.IsEmpty)
        {
            x.Clear();
            return;
        }
        ref float g = ref MemoryMarshal.GetReference(gram);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float y0 = ref MemoryMarshal.GetReference(y.All);
        int stride = y.Stride;
        Span<float> spill = stackalloc float[Factors]; // a vector's lanes, for broadcasting

        var x0 = Vector512.LoadUnsafe(ref xr, 0);
        var x1 = Vector512.LoadUnsafe(ref xr, 16);
        var x2 = Vector512.LoadUnsafe(ref xr, 32);
        var x3 = Vector512.LoadUnsafe(ref xr, 48);

        // r = Σ (1 + a − a·(y·x))·y − (YᵀY + λI)·x
        GramTimes(ref g, spill, x0, x1, x2, x3, out var r0, out var r1, out var r2, out var r3);
        r0 = -r0; r1 = -r1; r2 = -r2; r3 = -r3;
        const int ahead = 4; // rows prefetched ahead on the first pass; later passes find them in cache
        for (int j = 0; j < Math.Min(ahead, items.Length); j++) Prefetch.Floats(ref Unsafe.Add(ref y0, (nint)items[j] * stride), Factors);
        for (int j = 0; j < items.Length; j++)
        {
            if (j + ahead < items.Length) Prefetch.Floats(ref Unsafe.Add(ref y0, (nint)items[j + ahead] * stride), Factors);
            ref float row = ref Unsafe.Add(ref y0, (nint)items[j] * stride);
            var a0 = Vector512.LoadUnsafe(ref row, 0);
            var a1 = Vector512.LoadUnsafe(ref row, 16);
            var a2 = Vector512.LoadUnsafe(ref row, 32);
            var a3 = Vector512.LoadUnsafe(ref row, 48);
            float s = Vector512.Sum(Vector512.FusedMultiplyAdd(a1, x1, a0 * x0) + Vector512.FusedMultiplyAdd(a3, x3, a2 * x2));
            float c = confidenceMinusOne[j];
            var coef = Vector512.Create(1 + c - c * s);
            r0 = Vector512.FusedMultiplyAdd(coef, a0, r0);
            r1 = Vector512.FusedMultiplyAdd(coef, a1, r1);
            r2 = Vector512.FusedMultiplyAdd(coef, a2, r2);
            r3 = Vector512.FusedMultiplyAdd(coef, a3, r3);
        }
        var p0 = r0; var p1 = r1; var p2 = r2; var p3 = r3;
        float rsOld = Dot(r0, r1, r2, r3, r0, r1, r2, r3);
        if (rsOld >= 1e-20f)
        {
            for (int step = 0; step < steps; step++)
            {
                GramTimes(ref g, spill, p0, p1, p2, p3, out var q0, out var q1, out var q2, out var q3);
                for (int j = 0; j < items.Length; j++)
                {
                    ref float row = ref Unsafe.Add(ref y0, (nint)items[j] * stride);
                    var a0 = Vector512.LoadUnsafe(ref row, 0);
                    var a1 = Vector512.LoadUnsafe(ref row, 16);
                    var a2 = Vector512.LoadUnsafe(ref row, 32);
                    var a3 = Vector512.LoadUnsafe(ref row, 48);
                    float s = Vector512.Sum(Vector512.FusedMultiplyAdd(a1, p1, a0 * p0) + Vector512.FusedMultiplyAdd(a3, p3, a2 * p2));
                    var coef = Vector512.Create(confidenceMinusOne[j] * s);
                    q0 = Vector512.FusedMultiplyAdd(coef, a0, q0);
                    q1 = Vector512.FusedMultiplyAdd(coef, a1, q1);
                    q2 = Vector512.FusedMultiplyAdd(coef, a2, q2);
                    q3 = Vector512.FusedMultiplyAdd(coef, a3, q3);
                }
                var alpha = Vector512.Create(rsOld / Dot(p0, p1, p2, p3, q0, q1, q2, q3));
                x0 = Vector512.FusedMultiplyAdd(alpha, p0, x0);
                x1 = Vector512.FusedMultiplyAdd(alpha, p1, x1);
                x2 = Vector512.FusedMultiplyAdd(alpha, p2, x2);
                x3 = Vector512.FusedMultiplyAdd(alpha, p3, x3);
                r0 = Vector512.FusedMultiplyAdd(-alpha, q0, r0);
                r1 = Vector512.FusedMultiplyAdd(-alpha, q1, r1);
                r2 = Vector512.FusedMultiplyAdd(-alpha, q2, r2);
                r3 = Vector512.FusedMultiplyAdd(-alpha, q3, r3);
                float rsNew = Dot(r0, r1, r2, r3, r0, r1, r2, r3);
                if (rsNew < 1e-20f) break;
                var beta = Vector512.Create(rsNew / rsOld);
                p0 = Vector512.FusedMultiplyAdd(beta, p0, r0);
                p1 = Vector512.FusedMultiplyAdd(beta, p1, r1);
                p2 = Vector512.FusedMultiplyAdd(beta, p2, r2);
                p3 = Vector512.FusedMultiplyAdd(beta, p3, r3);
                rsOld = rsNew;
            }
        }
        x0.StoreUnsafe(ref xr, 0);
        x1.StoreUnsafe(ref xr, 16);
        x2.StoreUnsafe(ref xr, 32);
        x3.StoreUnsafe(ref xr, 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3,
        Vector512<float> b0, Vector512<float> b1, Vector512<float> b2, Vector512<float> b3) =>
        Vector512.Sum(Vector512.FusedMultiplyAdd(a1, b1, a0 * b0) + Vector512.FusedMultiplyAdd(a3, b3, a2 * b2));

    /// <summary>q = G·v for symmetric row-major G (64 × 64), as Σ_b v[b]·G[b, :] with even and odd b summed apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GramTimes(ref float g, Span<float> spill, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3,
        out Vector512<float> q0, out Vector512<float> q1, out Vector512<float> q2, out Vector512<float> q3)
    {
        ref float s = ref MemoryMarshal.GetReference(spill);
        v0.StoreUnsafe(ref s, 0);
        v1.StoreUnsafe(ref s, 16);
        v2.StoreUnsafe(ref s, 32);
        v3.StoreUnsafe(ref s, 48);
        Vector512<float> e0 = default, e1 = default, e2 = default, e3 = default;
        Vector512<float> o0 = default, o1 = default, o2 = default, o3 = default;
        for (int b = 0; b < Factors; b += 2)
        {
            ref float ge = ref Unsafe.Add(ref g, b * Factors);
            var ve = Vector512.Create(Unsafe.Add(ref s, b));
            e0 = Vector512.FusedMultiplyAdd(ve, Vector512.LoadUnsafe(ref ge, 0), e0);
            e1 = Vector512.FusedMultiplyAdd(ve, Vector512.LoadUnsafe(ref ge, 16), e1);
            e2 = Vector512.FusedMultiplyAdd(ve, Vector512.LoadUnsafe(ref ge, 32), e2);
            e3 = Vector512.FusedMultiplyAdd(ve, Vector512.LoadUnsafe(ref ge, 48), e3);
            ref float go = ref Unsafe.Add(ref ge, Factors);
            var vo = Vector512.Create(Unsafe.Add(ref s, b + 1));
            o0 = Vector512.FusedMultiplyAdd(vo, Vector512.LoadUnsafe(ref go, 0), o0);
            o1 = Vector512.FusedMultiplyAdd(vo, Vector512.LoadUnsafe(ref go, 16), o1);
            o2 = Vector512.FusedMultiplyAdd(vo, Vector512.LoadUnsafe(ref go, 32), o2);
            o3 = Vector512.FusedMultiplyAdd(vo, Vector512.LoadUnsafe(ref go, 48), o3);
        }
        q0 = e0 + o0;
        q1 = e1 + o1;
        q2 = e2 + o2;
        q3 = e3 + o3;
    }
}
