using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Earworm.Audio.Spectral;

/// <summary>
/// Forward FFT of a real signal of even power-of-two length n, computed as one complex FFT of
/// length n/2 over the packed even/odd samples followed by the usual split step
/// (Sorensen et al. 1987). Output bins 0..n/2 inclusive, as numpy.fft.rfft.
/// An instance owns its twiddles and scratch, so it is cheap to call and not thread-safe:
/// use one per worker.
/// </summary>
/// <remarks>
/// The complex FFT is iterative radix-2 decimation in time. Its first two stages (twiddles 1 and
/// −i) run as one radix-4 pass that reads the packed input in bit-reversed order straight from
/// the signal; later stages, the split step and the power read contiguous twiddles and use
/// <see cref="Vector256{T}"/> when the hardware accelerates it. Vector and scalar paths do the
/// same operations in the same order (no fused multiply-add), so they give identical results.
/// </remarks>
public sealed class RealFft
{
    private static readonly Vector256<long> Reverse4 = Vector256.Create(3L, 2, 1, 0);

    private readonly int _n;
    private readonly int _half;
    private readonly int[] _bitReverse;
    private readonly double[] _stageCos; // twiddles of the n/2 complex FFT: the stage with half-size h
    private readonly double[] _stageSin; // uses exp(−2πij/(2h)), j < h, stored at [h, 2h)
    private readonly double[] _splitCos; // twiddles of the split step, exp(−2πik/n)
    private readonly double[] _splitSin;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly bool _useVectors;

    /// <summary>Plans an FFT of length <paramref name="n"/>, a power of two ≥ 4.</summary>
    public RealFft(int n) : this(n, Vector256.IsHardwareAccelerated) { }

    /// <summary>As the public constructor; <paramref name="useVectors"/> = false forces the scalar path (tests).</summary>
    internal RealFft(int n, bool useVectors)
    {
        if (n < 4 || (n & (n - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(n), n, "FFT length must be a power of two, at least 4.");
        _n = n;
        _half = n / 2;
        _useVectors = useVectors && Vector256.IsHardwareAccelerated;
        _re = new double[_half];
        _im = new double[_half];
        _bitReverse = new int[_half];
        int bits = System.Numerics.BitOperations.Log2((uint)_half);
        for (int i = 0; i < _half; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReverse[i] = r;
        }
        _stageCos = new double[Math.Max(_half, 2)];
        _stageSin = new double[Math.Max(_half, 2)];
        for (int h = 1; h < _half; h <<= 1)
        {
            for (int j = 0; j < h; j++)
            {
                // The angle of step j·(m/2h) of exp(−2πi/m), as a single table over m would give.
                double a = -2 * Math.PI * j * (_half / (2 * h)) / _half;
                _stageCos[h + j] = Math.Cos(a);
                _stageSin[h + j] = Math.Sin(a);
            }
        }
        _splitCos = new double[_half + 1];
        _splitSin = new double[_half + 1];
        for (int k = 0; k <= _half; k++)
        {
            double a = -2 * Math.PI * k / n;
            _splitCos[k] = Math.Cos(a);
            _splitSin[k] = Math.Sin(a);
        }
    }

    /// <summary>Signal length n.</summary>
    public int Length => _n;

    /// <summary>Number of output bins, n/2 + 1.</summary>
    public int BinCount => _half + 1;

    /// <summary>Complex spectrum X[k] = Σ x[t]·exp(−2πikt/n) for k = 0..n/2.</summary>
    /// <param name="signal">n real samples.</param>
    /// <param name="real">n/2+1 real parts (written).</param>
    /// <param name="imag">n/2+1 imaginary parts (written).</param>
    public void Forward(ReadOnlySpan<double> signal, Span<double> real, Span<double> imag)
    {
        if (signal.Length != _n) throw new ArgumentException($"expected {_n} samples, got {signal.Length}", nameof(signal));
        if (real.Length < _half + 1 || imag.Length < _half + 1) throw new ArgumentException("output spans need n/2+1 bins");

        // Z = FFT of the packed signal z[i] = x[2i] + i·x[2i+1], length m = n/2.
        var re = _re;
        var im = _im;
        if (_half >= 4)
        {
            LoadBitReversedRadix4(signal, re, im);
            for (int halfSize = 4; halfSize < _half; halfSize <<= 1)
            {
                if (_useVectors) RadixTwoStageVector(re, im, halfSize);
                else RadixTwoStage(re, im, halfSize);
            }
        }
        else
        {
            for (int i = 0; i < _half; i++)
            {
                re[_bitReverse[i]] = signal[2 * i];
                im[_bitReverse[i]] = signal[2 * i + 1];
            }
            for (int halfSize = 1; halfSize < _half; halfSize <<= 1) RadixTwoStage(re, im, halfSize);
        }

        // Split: E[k] = (Z[k] + conj Z[m−k])/2, O[k] = (Z[k] − conj Z[m−k])/(2i),
        // X[k] = E[k] + W^k O[k], with W = exp(−2πi/n).
        real[0] = re[0] + im[0];
        imag[0] = 0;
        real[_half] = re[0] - im[0];
        imag[_half] = 0;
        int k = 1;
        if (_useVectors)
        {
            for (; k + 4 <= _half; k += 4) SplitVector(k, real, imag);
        }
        for (; k < _half; k++)
        {
            int mk = _half - k;
            double zr = re[k], zi = im[k], cr = re[mk], ci = -im[mk];
            double er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
            double dr = zr - cr, di = zi - ci;        // (Z − conj Z')
            double or = 0.5 * di, oi = -0.5 * dr;     // divided by 2i
            double wr = _splitCos[k], wi = _splitSin[k];
            real[k] = er + (wr * or - wi * oi);
            imag[k] = ei + (wr * oi + wi * or);
        }
    }

    /// <summary>|X[k]|² for k = 0..n/2 (the power spectrum, unnormalised, as torch.stft power=2).</summary>
    public void Power(ReadOnlySpan<double> signal, Span<double> power, Span<double> scratchReal, Span<double> scratchImag)
    {
        if (power.Length < _half + 1) throw new ArgumentException("power span needs n/2+1 bins", nameof(power));
        Forward(signal, scratchReal, scratchImag);
        int k = 0;
        if (_useVectors)
        {
            var pv = MemoryMarshal.Cast<double, Vector256<double>>(power[.._half]);
            var rv = MemoryMarshal.Cast<double, Vector256<double>>(scratchReal[.._half]);
            var iv = MemoryMarshal.Cast<double, Vector256<double>>(scratchImag[.._half]);
            for (int v = 0; v < pv.Length; v++) pv[v] = rv[v] * rv[v] + iv[v] * iv[v];
            k = pv.Length * Vector256<double>.Count;
        }
        for (; k <= _half; k++) power[k] = scratchReal[k] * scratchReal[k] + scratchImag[k] * scratchImag[k];
    }

    // Stages of size 2 and 4 in one pass, reading z[rev(i)] from the signal (so no separate
    // bit-reversal pass): outputs a..a+3 of the size-4 DFT of the four reordered inputs.
    private void LoadBitReversedRadix4(ReadOnlySpan<double> signal, double[] re, double[] im)
    {
        var rev = _bitReverse;
        for (int a = 0; a + 3 < _half; a += 4)
        {
            int p0 = 2 * rev[a], p1 = 2 * rev[a + 1], p2 = 2 * rev[a + 2], p3 = 2 * rev[a + 3];
            double r0 = signal[p0], i0 = signal[p0 + 1], r1 = signal[p1], i1 = signal[p1 + 1];
            double r2 = signal[p2], i2 = signal[p2 + 1], r3 = signal[p3], i3 = signal[p3 + 1];
            double s0r = r0 + r1, s0i = i0 + i1, d0r = r0 - r1, d0i = i0 - i1;
            double s1r = r2 + r3, s1i = i2 + i3, d1r = r2 - r3, d1i = i2 - i3;
            re[a] = s0r + s1r; im[a] = s0i + s1i;
            re[a + 2] = s0r - s1r; im[a + 2] = s0i - s1i;
            // (d1r + i·d1i)·(−i) = d1i − i·d1r
            re[a + 1] = d0r + d1i; im[a + 1] = d0i - d1r;
            re[a + 3] = d0r - d1i; im[a + 3] = d0i + d1r;
        }
    }

    private void RadixTwoStage(double[] re, double[] im, int halfSize)
    {
        var wrs = _stageCos.AsSpan(halfSize, halfSize);
        var wis = _stageSin.AsSpan(halfSize, halfSize);
        for (int start = 0; start < _half; start += 2 * halfSize)
        {
            for (int j = 0; j < halfSize; j++)
            {
                double wr = wrs[j], wi = wis[j];
                int a = start + j, b = a + halfSize;
                double xr = re[b] * wr - im[b] * wi;
                double xi = re[b] * wi + im[b] * wr;
                re[b] = re[a] - xr;
                im[b] = im[a] - xi;
                re[a] += xr;
                im[a] += xi;
            }
        }
    }

    private void RadixTwoStageVector(double[] re, double[] im, int halfSize)
    {
        // halfSize is a multiple of the vector width here, so every block is whole vectors;
        // viewing the arrays as vectors keeps the inner loop free of per-element slicing.
        int hv = halfSize / Vector256<double>.Count;
        var wrs = MemoryMarshal.Cast<double, Vector256<double>>(_stageCos.AsSpan(halfSize, halfSize));
        var wis = MemoryMarshal.Cast<double, Vector256<double>>(_stageSin.AsSpan(halfSize, halfSize));
        var res = MemoryMarshal.Cast<double, Vector256<double>>(re.AsSpan(0, _half));
        var ims = MemoryMarshal.Cast<double, Vector256<double>>(im.AsSpan(0, _half));
        for (int start = 0; start < res.Length; start += 2 * hv)
        {
            var aRe = res.Slice(start, hv);
            var aIm = ims.Slice(start, hv);
            var bRe = res.Slice(start + hv, hv);
            var bIm = ims.Slice(start + hv, hv);
            for (int j = 0; j < aRe.Length; j++)
            {
                var wr = wrs[j];
                var wi = wis[j];
                var br = bRe[j];
                var bi = bIm[j];
                var xr = br * wr - bi * wi;
                var xi = br * wi + bi * wr;
                var ar = aRe[j];
                var ai = aIm[j];
                bRe[j] = ar - xr;
                bIm[j] = ai - xi;
                aRe[j] = ar + xr;
                aIm[j] = ai + xi;
            }
        }
    }

    // The split step for bins k..k+3; their mirrors m−k−3..m−k are loaded as one vector and reversed.
    private void SplitVector(int k, Span<double> real, Span<double> imag)
    {
        int mirror = _half - k - 3;
        var zr = Vector256.Create<double>(_re.AsSpan(k));
        var zi = Vector256.Create<double>(_im.AsSpan(k));
        var cr = Vector256.Shuffle(Vector256.Create<double>(_re.AsSpan(mirror)), Reverse4);
        var ci = -Vector256.Shuffle(Vector256.Create<double>(_im.AsSpan(mirror)), Reverse4);
        var half = Vector256.Create(0.5);
        var er = half * (zr + cr);
        var ei = half * (zi + ci);
        var dr = zr - cr;
        var di = zi - ci;
        var or = half * di;
        var oi = -half * dr;
        var wr = Vector256.Create<double>(_splitCos.AsSpan(k));
        var wi = Vector256.Create<double>(_splitSin.AsSpan(k));
        (er + (wr * or - wi * oi)).CopyTo(real[k..]);
        (ei + (wr * oi + wi * or)).CopyTo(imag[k..]);
    }
}
