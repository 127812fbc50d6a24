using System.Runtime.Intrinsics;

namespace Earworm.Audio.Spectral;

/// <summary>
/// Log-mel spectrogram in dB, as
/// <c>librosa.power_to_db(librosa.feature.melspectrogram(y, sr, n_fft, hop_length, center=True,
/// pad_mode='reflect', power=2, n_mels, fmin, fmax, htk=False, norm='slaney'), ref=1, amin, top_db=None)</c>
/// and torchaudio's <c>MelSpectrogram(..., mel_scale='slaney', norm='slaney')</c> followed by the same log.
/// Conventions are listed on <see cref="LogMelOptions"/>.
/// </summary>
public static class LogMel
{
    /// <summary>
    /// One-shot log-mel of <paramref name="samples"/>: [shape = (n_mels, 1 + n/hop)] in dB,
    /// row-major mel-major. Builds a <see cref="LogMelComputer"/>; reuse one for many signals.
    /// </summary>
    public static float[] Compute(ReadOnlySpan<float> samples, LogMelOptions options) =>
        new LogMelComputer(options).Compute(samples);
}

/// <summary>
/// Reusable log-mel front end: holds the periodic Hann window, the FFT, the Slaney filterbank and
/// per-frame scratch, so computing allocates nothing per frame. Not thread-safe: one per worker.
/// </summary>
/// <remarks>
/// Computed in double precision (the reference is float64) and stored as float32.
/// Signals shorter than n_fft/2 + 1 samples cannot be reflect-padded (numpy would reflect
/// repeatedly, torch refuses); they are first zero-extended to n_fft/2 + 1 samples, then
/// reflect-padded as usual. The frame count is still <see cref="FrameCount"/> of the true length,
/// so an empty signal gives one frame of silence (every band at 10·log10(amin), −100 dB by default).
/// </remarks>
public sealed class LogMelComputer
{
    private readonly int _fftSize;
    private readonly int _hop;
    private readonly int _bands;
    private readonly double _amin;
    private readonly double[] _window;
    private readonly RealFft _fft;
    private readonly double[] _frame;
    private readonly double[] _power;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly double[] _mel;
    private readonly bool _useVectors;

    /// <summary>Builds the window, FFT and filterbank for <paramref name="options"/> (validated first).</summary>
    public LogMelComputer(LogMelOptions options) : this(options, Vector256.IsHardwareAccelerated) { }

    /// <summary>As the public constructor; <paramref name="useVectors"/> = false forces scalar code (tests).</summary>
    internal LogMelComputer(LogMelOptions options, bool useVectors)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _fftSize = options.FftSize;
        _hop = options.HopLength;
        _bands = options.MelBands;
        _amin = options.AminPower;
        Filterbank = new MelFilterbank(options);
        _useVectors = useVectors && Vector256.IsHardwareAccelerated;
        _fft = new RealFft(_fftSize, _useVectors);
        _window = Descriptors.SpanMath.PeriodicHann(_fftSize); // as librosa/scipy get_window('hann', n, fftbins=True) and torch.hann_window
        _frame = new double[_fftSize];
        int bins = options.FrequencyBins;
        _power = new double[bins];
        _re = new double[bins];
        _im = new double[bins];
        _mel = new double[_bands];
    }

    /// <summary>The options this computer was built with.</summary>
    public LogMelOptions Options { get; }

    /// <summary>The Slaney filterbank in use.</summary>
    public MelFilterbank Filterbank { get; }

    /// <summary>Number of centred frames for a signal of <paramref name="sampleCount"/> samples: 1 + sampleCount / hop.</summary>
    public int FrameCount(int sampleCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        return 1 + sampleCount / _hop;
    }

    /// <summary>Number of output values for a signal: n_mels · <see cref="FrameCount"/>.</summary>
    public int OutputLength(int sampleCount)
    {
        long length = (long)_bands * FrameCount(sampleCount);
        if (length > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(sampleCount), sampleCount, $"log-mel of {sampleCount} samples would need {length} values, more than an array holds.");
        return (int)length;
    }

    /// <summary>Log-mel of <paramref name="samples"/> in a new array; see <see cref="Compute(ReadOnlySpan{float}, Span{float})"/>.</summary>
    public float[] Compute(ReadOnlySpan<float> samples)
    {
        var output = new float[OutputLength(samples.Length)];
        Compute(samples, output);
        return output;
    }

    /// <summary>
    /// Writes the log-mel spectrogram of <paramref name="samples"/> in dB into <paramref name="output"/>.
    /// </summary>
    /// <param name="samples">Mono PCM at <see cref="LogMelOptions.SampleRate"/>, nominally in [−1, 1].</param>
    /// <param name="output">
    /// Exactly n_mels · T values, T = <see cref="FrameCount"/>(samples.Length), layout [mel][frame]
    /// row-major: band m of frame t at m·T + t (frames contiguous per band, as librosa's
    /// (n_mels, t) and a conv1d input of n_mels channels × T). Units: dB re 1 (power of
    /// unnormalised FFT of samples in PCM units), floored at 10·log10(amin).
    /// </param>
    public void Compute(ReadOnlySpan<float> samples, Span<float> output)
    {
        int frames = FrameCount(samples.Length);
        int expected = OutputLength(samples.Length);
        if (output.Length != expected)
            throw new ArgumentException($"output must hold {_bands} bands × {frames} frames = {expected} values, got {output.Length}", nameof(output));

        int n = samples.Length;
        int half = _fftSize / 2;
        // Length of the virtual signal that gets reflect-padded: short signals are zero-extended.
        int virtualLength = Math.Max(n, half + 1);
        var frame = _frame.AsSpan();
        var window = _window.AsSpan();
        var mel = _mel.AsSpan();
        for (int t = 0; t < frames; t++)
        {
            int start = t * _hop - half;
            if (start >= 0 && start <= n - _fftSize)
            {
                Descriptors.SpanMath.Windowed(samples.Slice(start, _fftSize), window, frame, _useVectors);
            }
            else
            {
                for (int j = 0; j < frame.Length; j++)
                    frame[j] = ReflectedSample(samples, start + j, virtualLength) * window[j];
            }

            _fft.Power(frame, _power, _re, _im);
            Filterbank.Apply(_power, mel);
            Decibels.FromPower(mel, _amin, _useVectors);
            for (int m = 0; m < mel.Length; m++) output[m * frames + t] = (float)mel[m];
        }
    }

    // Sample at index p of the signal zero-extended to virtualLength and reflect-padded
    // (numpy 'reflect': ..., x2, x1, x0, x1, x2, ...), p relative to the unpadded start.
    private static double ReflectedSample(ReadOnlySpan<float> samples, int p, int virtualLength)
    {
        if (p < 0) p = -p;
        else if (p >= virtualLength) p = 2 * (virtualLength - 1) - p;
        return p < samples.Length ? samples[p] : 0.0;
    }
}
