using Earworm.Audio.Spectral;

namespace Earworm.Audio.Descriptors;

/// <summary>
/// The power spectrum of one frame as the streaming descriptors take it: a periodic Hann window of the frame's length,
/// then |X|² of the unnormalised real FFT (fftSize / 2 + 1 bins). One owner of the window, the FFT plan and their
/// buffers for <see cref="SpectralStatistics"/>, <see cref="OnsetEnvelope"/> and <see cref="ChromaAccumulator"/>.
/// Not thread-safe: the spans returned are its buffers, valid until the next frame.
/// </summary>
internal sealed class FrameSpectrum
{
    private readonly RealFft _fft;
    private readonly double[] _window;
    private readonly double[] _frame;
    private readonly double[] _power;
    private readonly double[] _re;
    private readonly double[] _im;

    /// <param name="fftSize">Frame and FFT length, a power of two ≥ 4.</param>
    public FrameSpectrum(int fftSize)
    {
        _fft = new RealFft(fftSize);
        _window = SpanMath.PeriodicHann(fftSize);
        foreach (double w in _window) WindowEnergy += w * w;
        _frame = new double[fftSize];
        int bins = fftSize / 2 + 1;
        _power = new double[bins];
        _re = new double[bins];
        _im = new double[bins];
    }

    /// <summary>Σ w² of the window: a windowed frame of RMS r has energy r²·WindowEnergy.</summary>
    public double WindowEnergy { get; }

    /// <summary>Power bins: fftSize / 2 + 1.</summary>
    public int Bins => _power.Length;

    /// <summary>Windows <paramref name="frame"/> (fftSize samples); <see cref="Power"/> then transforms it.</summary>
    public ReadOnlySpan<double> Window(ReadOnlySpan<float> frame)
    {
        SpanMath.Windowed(frame, _window, _frame);
        return _frame;
    }

    /// <summary>The power spectrum of the frame last given to <see cref="Window"/>.</summary>
    public ReadOnlySpan<double> Power()
    {
        _fft.Power(_frame, _power, _re, _im);
        return _power;
    }

    /// <summary>The power spectrum of <paramref name="frame"/>, windowed.</summary>
    public ReadOnlySpan<double> PowerOf(ReadOnlySpan<float> frame)
    {
        Window(frame);
        return Power();
    }
}
