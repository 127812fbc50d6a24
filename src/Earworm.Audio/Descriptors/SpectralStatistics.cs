using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Earworm.Audio.Spectral;

namespace Earworm.Audio.Descriptors;

/// <summary>What <see cref="SpectralStatistics"/> measured; every value is 0 when no frame was voiced.</summary>
/// <param name="CentroidHz">Mean spectral centroid, Hz (brightness).</param>
/// <param name="Flatness">Mean spectral flatness, 0..1.</param>
/// <param name="MfccMeans">Mean of each MFCC over voiced frames (20 by default, c0 first).</param>
/// <param name="MfccStandardDeviations">Population standard deviation of each MFCC over voiced frames.</param>
/// <param name="VoicedFrames">Frames above the silence threshold.</param>
/// <param name="Frames">Frames analysed.</param>
public sealed record SpectralResult(
    double CentroidHz,
    double Flatness,
    IReadOnlyList<double> MfccMeans,
    IReadOnlyList<double> MfccStandardDeviations,
    int VoicedFrames,
    int Frames);

/// <summary>
/// Streaming short-time spectral statistics sharing one FFT per frame: spectral centroid, spectral
/// flatness and MFCCs (their means and standard deviations summarise the timbre).
/// </summary>
/// <remarks>
/// <para><b>Frames.</b> Periodic Hann of <c>fftSize</c> samples every <c>hopLength</c> samples, centred
/// on t·hop with zeros before the start. With hop &gt; fftSize only part of the signal is analysed
/// (a 93 ms window every 372 ms by default): the results are means and deviations over a track,
/// which a regular sample of its frames estimates well, at a quarter of the cost. Frames whose windowed RMS is below
/// −80 dBFS are "unvoiced" and left out of every statistic (a centroid or flatness of silence is
/// meaningless, and silent intros would drag the means).</para>
/// <para><b>Centroid</b> (librosa <c>spectral_centroid</c>): Σ f_k·|X_k| / Σ |X_k| over all bins, Hz.</para>
/// <para><b>Flatness</b> (Wiener entropy; Dubnov 2004, as Essentia's <c>Flatness</c> of the magnitude
/// spectrum): geometric over arithmetic mean of max(|X_k|, 1e−10) for bins from <c>flatnessMinHz</c> to
/// <c>flatnessMaxHz</c> (50 Hz – 8 kHz by default: the band every decoder passes, so a resampler's
/// roll-off near Nyquist does not count as "tonal"). On the magnitude, white noise reads about
/// 2e^(−γ/2)/√π ≈ 0.85 per frame (Rayleigh magnitudes) and a pure tone nearly 0; on the power
/// spectrum (librosa's convention) white noise would read e^(−γ) ≈ 0.56.</para>
/// <para><b>MFCC</b> (librosa <c>feature.mfcc</c> conventions): power spectrum |X|² of the unnormalised
/// FFT of PCM in [−1, 1], Slaney mel filterbank with Slaney area normalisation (<c>melBands</c>
/// bands, 0 Hz to Nyquist), 10·log10(max(mel, 1e−10)) with no top_db clipping (a streaming meter
/// cannot know the track's maximum), then the orthonormal DCT-II (scipy <c>dct(type=2,
/// norm='ortho')</c>), first <c>mfccCount</c> coefficients, c0 included.</para>
/// Not thread-safe: one per stream.
/// </remarks>
public sealed class SpectralStatistics : IFrameConsumer
{
    private const double SilentFrameRms = 1e-4;  // −80 dBFS
    private const double MagnitudeFloor = 1e-10;
    private const double MelFloor = 1e-10;

    private readonly FrameSlicer _slicer;
    private readonly FrameSpectrum _spectrum;
    private readonly MelFilterbank _filterbank;
    private readonly double[] _magnitude;
    private readonly double[] _binHz;
    private readonly int _flatFirst;
    private readonly int _flatCount;
    private readonly double[] _mel;
    private readonly double[] _dct;          // [mfccCount][melBands] row-major
    private readonly int _mfccCount;
    private readonly double[] _mfcc;
    private readonly double[] _mfccSum;
    private readonly double[] _mfccSquares;
    private double _centroidSum;
    private double _flatnessSum;
    private int _frames;
    private int _voiced;

    /// <summary>Statistics of PCM at <paramref name="sampleRate"/> Hz.</summary>
    public SpectralStatistics(int sampleRate, int fftSize = 2048, int hopLength = 8192, int melBands = 128, int mfccCount = 20,
        double flatnessMinHz = 50, double flatnessMaxHz = 8000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mfccCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mfccCount, melBands);
        if (!(flatnessMinHz >= 0 && flatnessMaxHz > flatnessMinHz && flatnessMaxHz <= sampleRate / 2.0))
            throw new ArgumentOutOfRangeException(nameof(flatnessMaxHz), flatnessMaxHz, "Need 0 ≤ flatnessMinHz < flatnessMaxHz ≤ Nyquist.");
        var melOptions = new LogMelOptions
        {
            SampleRate = sampleRate,
            FftSize = fftSize,
            HopLength = Math.Max(1, hopLength),
            MelBands = melBands,
            FMinHz = 0,
            FMaxHz = sampleRate / 2.0,
        };
        _filterbank = new MelFilterbank(melOptions);
        _spectrum = new FrameSpectrum(fftSize);
        int bins = _spectrum.Bins;
        _magnitude = new double[bins];
        _binHz = new double[bins];
        for (int k = 0; k < bins; k++) _binHz[k] = (double)k * sampleRate / fftSize;
        _flatFirst = (int)Math.Ceiling(flatnessMinHz * fftSize / sampleRate);
        _flatCount = (int)Math.Floor(flatnessMaxHz * fftSize / sampleRate) - _flatFirst + 1;
        _mel = new double[melBands];
        _mfccCount = mfccCount;
        _dct = new double[mfccCount * melBands];
        for (int i = 0; i < mfccCount; i++)
        {
            double scale = Math.Sqrt((i == 0 ? 1.0 : 2.0) / melBands);
            for (int m = 0; m < melBands; m++)
                _dct[i * melBands + m] = scale * Math.Cos(Math.PI * i * (2 * m + 1) / (2.0 * melBands));
        }
        _mfcc = new double[mfccCount];
        _mfccSum = new double[mfccCount];
        _mfccSquares = new double[mfccCount];
        _slicer = new FrameSlicer(fftSize, hopLength, fftSize / 2);
    }

    /// <summary>Feeds the next samples.</summary>
    public void Push(ReadOnlySpan<float> samples) => _slicer.Push(samples, this);

    /// <summary>Ends the stream.</summary>
    public void Finish() => _slicer.Finish(this);

    /// <summary>The statistics over the voiced frames so far.</summary>
    public SpectralResult Result()
    {
        var means = new double[_mfccCount];
        var stds = new double[_mfccCount];
        if (_voiced > 0)
        {
            for (int i = 0; i < _mfccCount; i++)
            {
                means[i] = _mfccSum[i] / _voiced;
                stds[i] = Math.Sqrt(Math.Max(0, _mfccSquares[i] / _voiced - means[i] * means[i]));
            }
        }
        return new SpectralResult(
            _voiced > 0 ? _centroidSum / _voiced : 0,
            _voiced > 0 ? _flatnessSum / _voiced : 0,
            means, stds, _voiced, _frames);
    }

    void IFrameConsumer.OnFrame(ReadOnlySpan<float> frame)
    {
        _frames++;
        var windowed = _spectrum.Window(frame);
        double energy = SpanMath.Dot(windowed, windowed);
        if (!(energy > SilentFrameRms * SilentFrameRms * _spectrum.WindowEnergy)) return;
        _voiced++;
        var power = _spectrum.Power();
        Sqrt(power, _magnitude);

        double magnitudeSum = 0;
        foreach (double m in _magnitude) magnitudeSum += m;
        _centroidSum += magnitudeSum > 0 ? SpanMath.Dot(_magnitude, _binHz) / magnitudeSum : 0;
        _flatnessSum += Flatness(_magnitude.AsSpan(_flatFirst, _flatCount));

        _filterbank.Apply(power, _mel);
        Decibels.FromPower(_mel, MelFloor);
        int bands = _mel.Length;
        for (int i = 0; i < _mfccCount; i++)
        {
            double c = SpanMath.Dot(_dct.AsSpan(i * bands, bands), _mel);
            _mfccSum[i] += c;
            _mfccSquares[i] += c * c;
        }
    }

    // Geometric over arithmetic mean of the floored magnitudes; logs four at a time.
    private static double Flatness(ReadOnlySpan<double> magnitude)
    {
        double logSum = 0, sum = 0;
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var floor = Vector256.Create(MagnitudeFloor);
            var logs = Vector256<double>.Zero;
            var sums = Vector256<double>.Zero;
            for (; k + 4 <= magnitude.Length; k += 4)
            {
                var v = Vector256.Max(Vector256.Create(magnitude.Slice(k)), floor);
                logs += Vector256.Log(v);
                sums += v;
            }
            logSum = Vector256.Sum(logs);
            sum = Vector256.Sum(sums);
        }
        for (; k < magnitude.Length; k++)
        {
            double v = Math.Max(magnitude[k], MagnitudeFloor);
            logSum += Math.Log(v);
            sum += v;
        }
        double arithmetic = sum / magnitude.Length;
        return Math.Exp(logSum / magnitude.Length) / arithmetic;
    }

    private static void Sqrt(ReadOnlySpan<double> power, Span<double> magnitude)
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var p = MemoryMarshal.Cast<double, Vector256<double>>(power);
            var m = MemoryMarshal.Cast<double, Vector256<double>>(magnitude);
            for (int v = 0; v < p.Length && v < m.Length; v++) m[v] = Vector256.Sqrt(p[v]);
            k = Math.Min(p.Length, m.Length) * Vector256<double>.Count;
        }
        for (; k < power.Length; k++) magnitude[k] = Math.Sqrt(power[k]);
    }
}
