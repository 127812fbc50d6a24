using System.Runtime.Intrinsics;

namespace Earworm.Audio.Descriptors;

/// <summary>What <see cref="SignalStatistics"/> measured.</summary>
/// <param name="SampleCount">Samples seen.</param>
/// <param name="RmsDbfs">RMS level, dB re full scale (a full-scale square wave is 0, a full-scale
/// sine −3.01); null when every sample is zero.</param>
/// <param name="PeakDbfs">Largest |sample|, dBFS (sample peak, not true peak); null when all zero.</param>
/// <param name="ZeroCrossingsPerSecond">Sign changes per second (a sine of f Hz gives 2f); a sample
/// counts as positive when ≥ 0, as librosa's <c>zero_crossings</c> with threshold 0.</param>
public sealed record SignalResult(long SampleCount, double? RmsDbfs, double? PeakDbfs, double ZeroCrossingsPerSecond);

/// <summary>Streaming time-domain statistics of one channel: RMS, sample peak and zero-crossing rate.</summary>
public sealed class SignalStatistics
{
    private readonly double _sampleRate;
    private double _squares;
    private float _peak;
    private long _crossings;
    private long _count;
    private bool _lastNonNegative = true;

    /// <summary>Statistics of PCM at <paramref name="sampleRate"/> Hz.</summary>
    public SignalStatistics(double sampleRate)
    {
        if (!(sampleRate > 0)) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must be positive.");
        _sampleRate = sampleRate;
    }

    /// <summary>Feeds the next samples.</summary>
    public void Push(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty) return;
        _squares += SpanMath.SumOfSquares(samples);
        int i = 0;
        if (Vector256.IsHardwareAccelerated && samples.Length > Vector256<float>.Count)
        {
            // Crossings inside the span compare each sample with the next; the first sample with the last of the previous call.
            var peak = Vector256<float>.Zero;
            var count = Vector256<int>.Zero;
            for (; i + Vector256<float>.Count < samples.Length; i += Vector256<float>.Count)
            {
                var a = Vector256.Create(samples.Slice(i));
                var b = Vector256.Create(samples.Slice(i + 1));
                peak = Vector256.Max(peak, Vector256.Abs(a));
                var differ = Vector256.GreaterThanOrEqual(a, Vector256<float>.Zero) ^ Vector256.GreaterThanOrEqual(b, Vector256<float>.Zero);
                count -= differ.AsInt32(); // all-ones lanes are −1
            }
            for (int lane = 0; lane < Vector256<float>.Count; lane++) _peak = Math.Max(_peak, peak.GetElement(lane));
            _crossings += Vector256.Sum(count);
        }
        bool first = samples[0] >= 0;
        if (first != _lastNonNegative && _count > 0) _crossings++;
        for (; i < samples.Length; i++)
        {
            _peak = Math.Max(_peak, Math.Abs(samples[i]));
            if (i + 1 < samples.Length && (samples[i] >= 0) != (samples[i + 1] >= 0)) _crossings++;
        }
        _lastNonNegative = samples[^1] >= 0;
        _count += samples.Length;
    }

    /// <summary>The statistics so far.</summary>
    public SignalResult Result()
    {
        double? rms = _squares > 0 ? 10 * Math.Log10(_squares / _count) : null;
        double? peak = _peak > 0 ? 20 * Math.Log10(_peak) : null;
        double zcr = _count > 0 ? _crossings / (_count / _sampleRate) : 0;
        return new SignalResult(_count, rms, peak, zcr);
    }
}
