using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Earworm.Learning.Numerics;

/// <summary>
/// The few vector kernels the models spend their time in, over float32 spans of equal length:
/// 512-bit lanes where the CPU has them (AVX-512), else 256-bit, then a scalar tail. Callers pass
/// spans of the same length; the kernels do not check (they sit in the innermost loops).
/// Public so that every project's vector math (the models here, the vector indexes of
/// Earworm.Recommend) has one owner.
/// </summary>
public static class Simd
{
    /// <summary>Σ x[i]·y[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref px, (nuint)i), Vector512.LoadUnsafe(ref py, (nuint)i), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref px, (nuint)(i + 16)), Vector512.LoadUnsafe(ref py, (nuint)(i + 16)), a1);
            }
            if (i <= n - 16)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref px, (nuint)i), Vector512.LoadUnsafe(ref py, (nuint)i), a0);
                i += 16;
            }
            sum = Vector512.Sum(a0 + a1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var a0 = Vector256<float>.Zero;
            var a1 = Vector256<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref px, (nuint)(i + 8)), Vector256.LoadUnsafe(ref py, (nuint)(i + 8)), a1);
            }
            if (i <= n - 8)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i), a0);
                i += 8;
            }
            sum = Vector256.Sum(a0 + a1);
        }
        for (; i < n; i++) sum += Unsafe.Add(ref px, i) * Unsafe.Add(ref py, i);
        return sum;
    }

    /// <summary>y ← y + a·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            for (; i <= n - 16; i += 16)
                Vector512.FusedMultiplyAdd(va, Vector512.LoadUnsafe(ref px, (nuint)i), Vector512.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref py, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (; i <= n - 8; i += 8)
                Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref py, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref py, i) += a * Unsafe.Add(ref px, i);
    }

    /// <summary>y ← x + b·y (the conjugate-gradient direction update p ← r + β·p).</summary>
    public static void ScaleAndAdd(ReadOnlySpan<float> x, float b, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = x[i] + b * y[i];
    }

    /// <summary>
    /// The skip-gram negative-sampling update of one (input, output) pair with gradient g, in one
    /// pass over the output row: <c>acc ← acc + g·output; output ← output + g·input</c>
    /// (word2vec.c's <c>neu1e += g·syn1neg; syn1neg += g·syn0</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateAndUpdate(float g, ReadOnlySpan<float> input, Span<float> output, Span<float> acc)
    {
        ref float pi = ref MemoryMarshal.GetReference(input);
        ref float po = ref MemoryMarshal.GetReference(output);
        ref float pa = ref MemoryMarshal.GetReference(acc);
        int n = input.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vg = Vector512.Create(g);
            for (; i <= n - 16; i += 16)
            {
                var o = Vector512.LoadUnsafe(ref po, (nuint)i);
                Vector512.FusedMultiplyAdd(vg, o, Vector512.LoadUnsafe(ref pa, (nuint)i)).StoreUnsafe(ref pa, (nuint)i);
                Vector512.FusedMultiplyAdd(vg, Vector512.LoadUnsafe(ref pi, (nuint)i), o).StoreUnsafe(ref po, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vg = Vector256.Create(g);
            for (; i <= n - 8; i += 8)
            {
                var o = Vector256.LoadUnsafe(ref po, (nuint)i);
                Vector256.FusedMultiplyAdd(vg, o, Vector256.LoadUnsafe(ref pa, (nuint)i)).StoreUnsafe(ref pa, (nuint)i);
                Vector256.FusedMultiplyAdd(vg, Vector256.LoadUnsafe(ref pi, (nuint)i), o).StoreUnsafe(ref po, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float o = Unsafe.Add(ref po, i);
            Unsafe.Add(ref pa, i) += g * o;
            Unsafe.Add(ref po, i) = o + g * Unsafe.Add(ref pi, i);
        }
    }

    /// <summary>Σ (x[i] − y[i])², the squared Euclidean distance.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SquaredDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        float sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var d = Vector256.LoadUnsafe(ref px, (nuint)i) - Vector256.LoadUnsafe(ref py, (nuint)i);
                acc = Vector256.FusedMultiplyAdd(d, d, acc);
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            float d = Unsafe.Add(ref px, i) - Unsafe.Add(ref py, i);
            sum += d * d;
        }
        return sum;
    }

    /// <summary>The Euclidean norm, accumulated in double.</summary>
    public static float Norm(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (var v in x) s += (double)v * v;
        return (float)Math.Sqrt(s);
    }

    /// <summary>dest[r] = Σ_c m[r·columns + c]·x[c] for r in 0..dest.Length−1 (row-major matrix times vector).</summary>
    public static void MatrixVector(ReadOnlySpan<float> m, int columns, ReadOnlySpan<float> x, Span<float> dest)
    {
        for (int r = 0; r < dest.Length; r++) dest[r] = Dot(m.Slice(r * columns, columns), x);
    }
}
