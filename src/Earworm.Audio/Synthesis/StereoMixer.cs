namespace Earworm.Audio.Synthesis;

/// <summary>
/// A stereo bus of fixed length: mono voices are added at a frame offset with a gain and an
/// equal-power pan; <see cref="Finish"/> sets the loudness and soft-limits the peaks. Anything
/// past the end of the bus is cut (a note's tail beyond the track's end).
/// </summary>
public sealed class StereoMixer
{
    private readonly float[] _left;
    private readonly float[] _right;

    /// <param name="frameCount">Length of the bus in frames (samples per channel).</param>
    public StereoMixer(int frameCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        _left = new float[frameCount];
        _right = new float[frameCount];
    }

    /// <summary>Length of the bus in frames.</summary>
    public int FrameCount => _left.Length;

    /// <summary>Adds a mono voice starting at <paramref name="startFrame"/>.</summary>
    /// <param name="voice">Mono samples.</param>
    /// <param name="startFrame">Frame where the voice's sample 0 lands; may be negative (the
    /// voice's head is then cut).</param>
    /// <param name="gain">Linear gain.</param>
    /// <param name="pan">−1 hard left, 0 centre, 1 hard right.</param>
    public void Add(ReadOnlySpan<float> voice, int startFrame, float gain = 1f, float pan = 0f)
    {
        if (!(pan is >= -1 and <= 1)) throw new ArgumentOutOfRangeException(nameof(pan), pan, "Pan must lie in −1..1.");
        // Equal-power law: a voice keeps its loudness wherever it is panned; centre is −3 dB a side.
        double angle = (pan + 1) * Math.PI / 4;
        float gl = (float)(gain * Math.Cos(angle)), gr = (float)(gain * Math.Sin(angle));
        int from = Math.Max(0, -startFrame);
        int to = Math.Min(voice.Length, _left.Length - startFrame);
        for (int i = from; i < to; i++)
        {
            float v = voice[i];
            _left[startFrame + i] += gl * v;
            _right[startFrame + i] += gr * v;
        }
    }

    /// <summary>
    /// Interleaved stereo (L, R, L, R, …): scaled so the RMS over both channels reaches
    /// <paramref name="targetRmsDbfs"/> (but peaks are raised no higher than
    /// <paramref name="maxPeakBeforeLimit"/>, so the limiter only rounds transients), then
    /// soft-limited. A few milliseconds of fade-in and a longer fade-out keep the cut ends from
    /// clicking and let the last chord die away. Every sample of the result lies in [−1, 1].
    /// </summary>
    /// <param name="sampleRate">Samples per second (for the fades).</param>
    /// <param name="targetRmsDbfs">Wanted RMS level, dB relative to full scale.</param>
    /// <param name="maxPeakBeforeLimit">Largest peak the gain may produce before limiting.</param>
    /// <param name="fadeInSeconds">Length of the linear fade-in, seconds.</param>
    /// <param name="fadeOutSeconds">Length of the linear fade-out, seconds.</param>
    public float[] Finish(int sampleRate, double targetRmsDbfs = -15, double maxPeakBeforeLimit = 1.25,
        double fadeInSeconds = 0.005, double fadeOutSeconds = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        double sum = 0, peak = 0;
        for (int i = 0; i < _left.Length; i++)
        {
            sum += (double)_left[i] * _left[i] + (double)_right[i] * _right[i];
            peak = Math.Max(peak, Math.Max(Math.Abs(_left[i]), Math.Abs(_right[i])));
        }
        double rms = _left.Length == 0 ? 0 : Math.Sqrt(sum / (2.0 * _left.Length));
        double gain = rms > 0 ? Math.Min(Math.Pow(10, targetRmsDbfs / 20) / rms, maxPeakBeforeLimit / peak) : 0;

        var output = new float[2 * _left.Length];
        int fadeIn = Math.Min(_left.Length / 2, (int)(fadeInSeconds * sampleRate));
        int fadeOut = Math.Min(_left.Length / 2, (int)(fadeOutSeconds * sampleRate));
        for (int i = 0; i < _left.Length; i++)
        {
            double g = gain;
            if (i < fadeIn) g *= (double)i / fadeIn;
            int fromEnd = _left.Length - 1 - i;
            if (fromEnd < fadeOut) g *= (double)fromEnd / fadeOut;
            output[2 * i] = (float)(g * _left[i]);
            output[2 * i + 1] = (float)(g * _right[i]);
        }
        SoftLimiter.Apply(output);
        return output;
    }
}
