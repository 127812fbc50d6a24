namespace Earworm.Audio.Spectral;

/// <summary>
/// Forward FFT of a real signal of even power-of-two length n, computed as one complex FFT of
/// length n/2 over the packed even/odd samples followed by the usual split step
/// (Sorensen et al. 1987). Output bins 0..n/2 inclusive, as numpy.fft.rfft.
/// An instance owns its twiddles and scratch, so it is cheap to call and not thread-safe:
/// use one per worker.
/// </summary>
public sealed class RealFft
{
    private readonly int _n;
    private readonly int _half;
    private readonly int[] _bitReverse;
    private readonly double[] _cos;      // twiddles of the n/2 complex FFT
    private readonly double[] _sin;
    private readonly double[] _splitCos; // twiddles of the split step, exp(-2πik/n)
    private readonly double[] _splitSin;
    private readonly double[] _re;
    private readonly double[] _im;

    public RealFft(int n)
    {
        if (n < 4 || (n & (n - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(n), n, "FFT length must be a power of two, at least 4.");
        _n = n;
        _half = n / 2;
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
        _cos = new double[_half / 2 + 1];
        _sin = new double[_half / 2 + 1];
        for (int k = 0; k < _cos.Length; k++)
        {
            double a = -2 * Math.PI * k / _half;
            _cos[k] = Math.Cos(a);
            _sin[k] = Math.Sin(a);
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

        var re = _re;
        var im = _im;
        for (int i = 0; i < _half; i++)
        {
            int j = _bitReverse[i];
            re[j] = signal[2 * i];
            im[j] = signal[2 * i + 1];
        }
        ComplexInPlace(re, im);

        // Split: Z = FFT(even + i·odd) gives E[k] = (Z[k] + conj Z[m−k])/2, O[k] = (Z[k] − conj Z[m−k])/(2i),
        // X[k] = E[k] + W^k O[k], with m = n/2 and W = exp(−2πi/n).
        real[0] = re[0] + im[0];
        imag[0] = 0;
        real[_half] = re[0] - im[0];
        imag[_half] = 0;
        for (int k = 1; k < _half; k++)
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
        Forward(signal, scratchReal, scratchImag);
        for (int k = 0; k <= _half; k++) power[k] = scratchReal[k] * scratchReal[k] + scratchImag[k] * scratchImag[k];
    }

    // Iterative radix-2 decimation-in-time on bit-reversed input.
    private void ComplexInPlace(double[] re, double[] im)
    {
        int m = _half;
        for (int size = 2; size <= m; size <<= 1)
        {
            int halfSize = size >> 1;
            int step = m / size;
            for (int start = 0; start < m; start += size)
            {
                for (int j = 0, t = 0; j < halfSize; j++, t += step)
                {
                    double wr = t <= m / 2 ? _cos[t] : -_cos[m - t];
                    double wi = t <= m / 2 ? _sin[t] : _sin[m - t];
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
    }
}
