using Earworm.Audio.Spectral;

namespace Earworm.Audio.Descriptors;

/// <summary>
/// Streaming onset-strength envelope: the log-mel spectral flux of Böck &amp; Widmer / librosa's
/// <c>onset_strength</c> — for each frame, the mean over mel bands of the half-wave rectified
/// increase in log power since the previous frame.
/// </summary>
/// <remarks>
/// Frames: periodic Hann of <c>fftSize</c> samples every <c>hopLength</c>, centred on t·hop with zeros
/// before the start (librosa's <c>center=True</c>, <c>pad_mode='constant'</c>). Bands: Slaney mel,
/// Slaney-normalised, 0 Hz to Nyquist. Log: 10·log10 of the band power floored at 80 dB below the
/// loudest band seen so far (librosa floors at 80 dB below the loudest of the whole track, top_db =
/// 80; a running maximum keeps it streaming) and at an absolute 1e−10 so silence and dither give no
/// flux. Frame 0 has strength 0. Meant for the decimated signal (about 5.5 kHz, so the bands cover
/// up to about 2.7 kHz: kick, snare body, bass and chord changes, not the hi-hats).
/// Not thread-safe: one per stream.
/// </remarks>
public sealed class OnsetEnvelope : IFrameConsumer
{
    private const double AbsoluteFloorPower = 1e-10;
    private const double RelativeFloor = 1e-8;    // −80 dB

    private readonly FrameSlicer _slicer;
    private readonly FrameSpectrum _spectrum;
    private readonly MelFilterbank _filterbank;
    private readonly double[] _mel;
    private readonly double[] _previousDb;
    private readonly List<double> _values = [];
    private double _runningMax = AbsoluteFloorPower;

    /// <summary>An envelope of PCM at <paramref name="sampleRate"/> Hz.</summary>
    /// <param name="sampleRate">Samples per second of the input (may be fractional after decimation).</param>
    /// <param name="fftSize">Window and FFT length, a power of two.</param>
    /// <param name="hopLength">Samples between frames.</param>
    /// <param name="melBands">Number of mel bands.</param>
    public OnsetEnvelope(double sampleRate, int fftSize = 256, int hopLength = 128, int melBands = 40)
    {
        if (!(sampleRate > 0)) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must be positive.");
        ArgumentOutOfRangeException.ThrowIfLessThan(hopLength, 1);
        SampleRate = sampleRate;
        HopLength = hopLength;
        FftSize = fftSize;
        _spectrum = new FrameSpectrum(fftSize);
        int integerRate = (int)Math.Floor(sampleRate);
        _filterbank = new MelFilterbank(new LogMelOptions
        {
            SampleRate = integerRate,
            FftSize = fftSize,
            HopLength = hopLength,
            MelBands = melBands,
            FMinHz = 0,
            FMaxHz = integerRate / 2,
        });
        _mel = new double[melBands];
        _previousDb = new double[melBands];
        _slicer = new FrameSlicer(fftSize, hopLength, fftSize / 2);
    }

    /// <summary>Input sample rate, Hz.</summary>
    public double SampleRate { get; }

    /// <summary>Hop between frames, samples.</summary>
    public int HopLength { get; }

    /// <summary>FFT size, samples.</summary>
    public int FftSize { get; }

    /// <summary>Envelope values per second.</summary>
    public double FramesPerSecond => SampleRate / HopLength;

    /// <summary>Frames so far.</summary>
    public int Count => _values.Count;

    /// <summary>Feeds the next samples.</summary>
    public void Push(ReadOnlySpan<float> samples) => _slicer.Push(samples, this);

    /// <summary>Ends the stream: emits the zero-padded frames centred before its end.</summary>
    public void Finish() => _slicer.Finish(this);

    /// <summary>The envelope so far; value t belongs to the frame centred at t·hop/sampleRate seconds.</summary>
    public double[] ToArray() => [.. _values];

    void IFrameConsumer.OnFrame(ReadOnlySpan<float> frame)
    {
        _filterbank.Apply(_spectrum.PowerOf(frame), _mel);
        double frameMax = 0;
        foreach (double m in _mel) frameMax = Math.Max(frameMax, m);
        _runningMax = Math.Max(_runningMax, frameMax);
        double floor = Math.Max(AbsoluteFloorPower, _runningMax * RelativeFloor);
        Decibels.FromPower(_mel, floor);
        double flux = 0;
        if (_values.Count > 0)
        {
            for (int b = 0; b < _mel.Length; b++) flux += Math.Max(0, _mel[b] - _previousDb[b]);
        }
        _mel.CopyTo(_previousDb, 0);
        _values.Add(flux / _mel.Length);
    }
}
