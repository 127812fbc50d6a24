using Earworm.Audio.Spectral;
using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Descriptors;

/// <summary>
/// Streaming track chroma: the mean over long frames of the magnitude spectrum folded onto the 12
/// pitch classes (C = 0), each frame normalised to sum 1 so that loud passages do not outweigh
/// quiet ones, as in Gómez (2006) "Tonal description of music audio signals" in its simplest form.
/// </summary>
/// <remarks>
/// Long frames because bass notes decide keys: a semitone at 60 Hz is 3.6 Hz wide, so the frame
/// must resolve a few Hz. On the decimated signal (about 5.5 kHz) a 4096-point periodic Hann
/// window is 0.74 s with 1.35 Hz bins — what a 16 384-point window would see at 22 050 Hz, at a
/// quarter of the cost. Each bin between <c>minHz</c> and <c>maxHz</c> adds its magnitude to the pitch
/// class of its nearest equal-tempered note (A4 = 440 Hz); below ~60 Hz the window's main lobe
/// would smear a sub bass over its neighbours, so those bins are left out. Frames whose folded
/// magnitude is below 1e−3 (about −120 dBFS) are skipped as silent. Not thread-safe.
/// </remarks>
public sealed class ChromaAccumulator : IFrameConsumer
{
    private const double SilentFrameMagnitude = 1e-3;

    private readonly FrameSlicer _slicer;
    private readonly FrameSpectrum _spectrum;
    private readonly int _firstBin;
    private readonly int[] _pitchClassOfBin;   // from _firstBin on
    private readonly double[] _frameChroma = new double[12];
    private readonly double[] _sum = new double[12];

    /// <summary>A chroma accumulator for PCM at <paramref name="sampleRate"/> Hz.</summary>
    public ChromaAccumulator(double sampleRate, int fftSize = 4096, int hopLength = 4096, double minHz = 60, double maxHz = 2000)
    {
        if (!(sampleRate > 0)) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must be positive.");
        if (!(minHz > 0 && maxHz > minHz && maxHz < sampleRate / 2))
            throw new ArgumentOutOfRangeException(nameof(maxHz), maxHz, $"Need 0 < minHz < maxHz < Nyquist ({sampleRate / 2} Hz).");
        _spectrum = new FrameSpectrum(fftSize);
        _firstBin = (int)Math.Ceiling(minHz * fftSize / sampleRate);
        int lastBin = (int)Math.Floor(maxHz * fftSize / sampleRate);
        _pitchClassOfBin = new int[lastBin - _firstBin + 1];
        for (int k = _firstBin; k <= lastBin; k++)
            _pitchClassOfBin[k - _firstBin] = MusicTheory.PitchClass((int)Math.Round(MusicTheory.HzToMidi(k * sampleRate / fftSize)));
        _slicer = new FrameSlicer(fftSize, hopLength, fftSize / 2);
    }

    /// <summary>Frames that were not silent.</summary>
    public int VoicedFrames { get; private set; }

    /// <summary>Feeds the next samples.</summary>
    public void Push(ReadOnlySpan<float> samples) => _slicer.Push(samples, this);

    /// <summary>Ends the stream.</summary>
    public void Finish() => _slicer.Finish(this);

    /// <summary>The mean chroma over voiced frames, scaled to a maximum of 1 (all zeros when none).</summary>
    public double[] Result()
    {
        double max = _sum.Max();
        return max > 0 ? [.. _sum.Select(v => v / max)] : new double[12];
    }

    void IFrameConsumer.OnFrame(ReadOnlySpan<float> frame)
    {
        var power = _spectrum.PowerOf(frame).Slice(_firstBin, _pitchClassOfBin.Length);
        Array.Clear(_frameChroma);
        double total = 0;
        for (int i = 0; i < power.Length; i++)
        {
            double magnitude = Math.Sqrt(power[i]);
            _frameChroma[_pitchClassOfBin[i]] += magnitude;
            total += magnitude;
        }
        if (total < SilentFrameMagnitude) return;
        for (int c = 0; c < 12; c++) _sum[c] += _frameChroma[c] / total;
        VoicedFrames++;
    }
}
