using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Earworm.Audio.Descriptors;

/// <summary>
/// The few vectorised loops the spectral front ends share (the log-mel's and the descriptors'). Each has a scalar tail and gives the same
/// result for the same input (the lane layout depends only on the span, not on the caller).
/// </summary>
internal static class SpanMath
{
    /// <summary>frame[j] = samples[j]·window[j], widening float32 to float64 eight at a time.</summary>
    /// <param name="useVectors">false forces the scalar loop (tests compare the two).</param>
    public static void Windowed(ReadOnlySpan<float> samples, ReadOnlySpan<double> window, Span<double> frame, bool useVectors = true)
    {
        int j = 0;
        if (useVectors && Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<float>.Count <= frame.Length; j += Vector256<float>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(samples.Slice(j)));
                (lower * Vector256.Create(window.Slice(j))).CopyTo(frame.Slice(j));
                (upper * Vector256.Create(window.Slice(j + Vector256<double>.Count))).CopyTo(frame.Slice(j + Vector256<double>.Count));
            }
        }
        for (; j < frame.Length; j++) frame[j] = samples[j] * window[j];
    }

    /// <summary>Σ x[i]² in double precision.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> x)
    {
        int i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(x.Slice(i)));
                acc0 += lower * lower;
                acc1 += upper * upper;
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; i < x.Length; i++) sum += (double)x[i] * x[i];
        return sum;
    }

    /// <summary>Σ x[i] and Σ x[i]², accumulated in eight float32 lanes (plenty for the few hundred
    /// samples of a 10 ms frame) and summed in double.</summary>
    public static (double Sum, double SumOfSquares) SumAndSquares(ReadOnlySpan<float> x)
    {
        int i = 0;
        double sum = 0, squares = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            ref float start = ref MemoryMarshal.GetReference(x);
            var s = Vector256<float>.Zero;
            var q = Vector256<float>.Zero;
            for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                s += v;
                q += v * v;
            }
            for (int lane = 0; lane < Vector256<float>.Count; lane++)
            {
                sum += s.GetElement(lane);
                squares += q.GetElement(lane);
            }
        }
        for (; i < x.Length; i++)
        {
            sum += x[i];
            squares += (double)x[i] * x[i];
        }
        return (sum, squares);
    }

    /// <summary>Σ a[i]·b[i].</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && a.Length >= 2 * Vector256<double>.Count)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            for (; i + 2 * Vector256<double>.Count <= a.Length; i += 2 * Vector256<double>.Count)
            {
                acc0 += Vector256.Create(a.Slice(i)) * Vector256.Create(b.Slice(i));
                acc1 += Vector256.Create(a.Slice(i + Vector256<double>.Count)) * Vector256.Create(b.Slice(i + Vector256<double>.Count));
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Σ a[i]·b[i] over float32 spans, accumulated in float32 lanes (a short FIR).</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        float sum = 0;
        if (Vector256.IsHardwareAccelerated && a.Length >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            for (; i + Vector256<float>.Count <= a.Length; i += Vector256<float>.Count)
                acc += Vector256.Create(a.Slice(i)) * Vector256.Create(b.Slice(i));
            sum = Vector256.Sum(acc);
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Periodic Hann window of length n, as librosa / scipy <c>get_window('hann', n, fftbins=True)</c>.</summary>
    public static double[] PeriodicHann(int n)
    {
        var w = new double[n];
        for (int i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n);
        return w;
    }
}
