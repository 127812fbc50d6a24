using Earworm.Audio.Spectral;
using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Tests.Synthesis;

/// <summary>
/// Small, plain measurements the synthesis tests judge audio by: chroma and a Krumhansl–Schmuckler
/// key estimate, an onset-strength envelope, spectral centroid, RMS and peak. Deliberately simpler
/// than the product's descriptors, so a failure points at the synthesiser, not at an estimator.
/// </summary>
internal static class AudioMeasures
{
    // Krumhansl & Kessler (1982) probe-tone profiles, tonic first.
    private static readonly double[] MajorProfile = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
    private static readonly double[] MinorProfile = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

    /// <summary>Mean over frames (16384 samples, hop 8192, Hann) of the magnitude spectrum folded onto
    /// 12 pitch classes (C = 0) between <paramref name="minHz"/> and <paramref name="maxHz"/>, each
    /// frame normalised to sum 1 so loud passages do not dominate; result normalised to max 1.
    /// Long frames because bass notes matter to the key and, at 22 050 Hz, 16384 points resolve
    /// semitones down to about 60 Hz; below that a window's main lobe would smear a sub bass over
    /// its neighbours, so those bins are left out.</summary>
    public static double[] Chroma(float[] mono, int sampleRate, double minHz = 60, double maxHz = 2000)
    {
        const int n = 16384;
        var fft = new RealFft(n);
        var frame = new double[n];
        var power = new double[n / 2 + 1];
        var re = new double[n / 2 + 1];
        var im = new double[n / 2 + 1];
        var chroma = new double[12];
        var pcOfBin = new int[n / 2 + 1];
        for (int k = 0; k <= n / 2; k++)
        {
            double hz = (double)k * sampleRate / n;
            pcOfBin[k] = hz < minHz || hz > maxHz ? -1 : MusicTheory.PitchClass((int)Math.Round(MusicTheory.HzToMidi(hz)));
        }
        var frameChroma = new double[12];
        for (int start = 0; start + n <= mono.Length; start += n / 2)
        {
            for (int i = 0; i < n; i++) frame[i] = mono[start + i] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n));
            fft.Power(frame, power, re, im);
            Array.Clear(frameChroma);
            for (int k = 0; k <= n / 2; k++)
                if (pcOfBin[k] >= 0) frameChroma[pcOfBin[k]] += Math.Sqrt(power[k]);
            double sum = frameChroma.Sum();
            if (sum <= 1e-9) continue;
            for (int c = 0; c < 12; c++) chroma[c] += frameChroma[c] / sum;
        }
        double max = chroma.Max();
        return max > 0 ? [.. chroma.Select(v => v / max)] : chroma;
    }

    /// <summary>The key whose rotated Krumhansl–Kessler profile correlates best with the chroma.</summary>
    public static (int Tonic, Mode Mode, double Score) EstimateKey(double[] chroma)
    {
        (int, Mode, double) best = (0, Mode.Major, double.NegativeInfinity);
        foreach (var mode in new[] { Mode.Major, Mode.Minor })
        {
            var profile = mode == Mode.Major ? MajorProfile : MinorProfile;
            for (int tonic = 0; tonic < 12; tonic++)
            {
                var rotated = Enumerable.Range(0, 12).Select(pc => profile[MusicTheory.PitchClass(pc - tonic)]).ToArray();
                double r = Correlation(chroma, rotated);
                if (r > best.Item3) best = (tonic, mode, r);
            }
        }
        return best;
    }

    /// <summary>Onset strength per hop: the half-wave rectified rise of log energy of the
    /// first-differenced (high-passed) signal. Frame f covers samples [f·hop, (f+1)·hop).</summary>
    public static double[] OnsetEnvelope(float[] mono, int hop)
    {
        int frames = mono.Length / hop;
        var energy = new double[frames];
        for (int f = 0; f < frames; f++)
        {
            double e = 0;
            for (int i = f * hop; i < (f + 1) * hop; i++)
            {
                double d = i == 0 ? mono[i] : mono[i] - mono[i - 1];
                e += d * d;
            }
            energy[f] = Math.Log(1e-6 + e / hop);
        }
        var onset = new double[frames];
        for (int f = 1; f < frames; f++) onset[f] = Math.Max(0, energy[f] - energy[f - 1]);
        return onset;
    }

    /// <summary>
    /// Scores every phase φ of the beat period by the onset strength summed at beat + φ over the
    /// given beats, and returns the best φ in seconds, wrapped into [−period/2, period/2): 0 means
    /// the onsets line up with the reported beats.
    /// </summary>
    public static double BestBeatPhaseSeconds(double[] onset, int hop, int sampleRate, IReadOnlyList<double> beatTimesSeconds, double periodSeconds)
    {
        double frameSeconds = (double)hop / sampleRate;
        int steps = (int)(periodSeconds / frameSeconds);
        double bestPhase = 0, bestScore = double.NegativeInfinity;
        for (int s = 0; s < steps; s++)
        {
            double phase = s * frameSeconds;
            double score = 0;
            foreach (double t in beatTimesSeconds)
            {
                // An onset at time t raises the energy of the frame holding t (or the next, when t
                // falls late in its frame); take the larger.
                int f = (int)((t + phase) / frameSeconds);
                if (f + 1 < onset.Length) score += Math.Max(onset[f], onset[f + 1]);
            }
            if (score > bestScore) (bestScore, bestPhase) = (score, phase);
        }
        return bestPhase >= periodSeconds / 2 ? bestPhase - periodSeconds : bestPhase;
    }

    /// <summary>Onsets per second: local maxima of the onset envelope above a fixed threshold.</summary>
    public static double OnsetRate(double[] onset, int hop, int sampleRate, double threshold = 1.0)
    {
        int count = 0;
        for (int f = 1; f + 1 < onset.Length; f++)
            if (onset[f] > threshold && onset[f] >= onset[f - 1] && onset[f] > onset[f + 1]) count++;
        return count / (onset.Length * (double)hop / sampleRate);
    }

    /// <summary>Magnitude-weighted mean frequency in Hz over 2048-sample Hann frames (as librosa's
    /// spectral_centroid, which weights by |X|, not |X|²).</summary>
    public static double SpectralCentroidHz(float[] mono, int sampleRate)
    {
        const int n = 2048;
        var fft = new RealFft(n);
        var frame = new double[n];
        var power = new double[n / 2 + 1];
        var re = new double[n / 2 + 1];
        var im = new double[n / 2 + 1];
        double weighted = 0, total = 0;
        for (int start = 0; start + n <= mono.Length; start += n)
        {
            for (int i = 0; i < n; i++) frame[i] = mono[start + i] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n));
            fft.Power(frame, power, re, im);
            for (int k = 0; k <= n / 2; k++)
            {
                double magnitude = Math.Sqrt(power[k]);
                weighted += magnitude * k * sampleRate / n;
                total += magnitude;
            }
        }
        return total > 0 ? weighted / total : 0;
    }

    public static double Rms(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x) s += (double)v * v;
        return x.Length == 0 ? 0 : Math.Sqrt(s / x.Length);
    }

    public static float Peak(ReadOnlySpan<float> x)
    {
        float p = 0;
        foreach (float v in x) p = Math.Max(p, Math.Abs(v));
        return p;
    }

    /// <summary>Frequency in Hz of the strongest bin of a Hann-windowed FFT of the first n samples.</summary>
    public static double PeakFrequencyHz(ReadOnlySpan<float> x, int sampleRate, int n = 8192)
    {
        var power = PowerSpectrum(x, n);
        int best = 1;
        for (int k = 1; k < power.Length; k++) if (power[k] > power[best]) best = k;
        return (double)best * sampleRate / n;
    }

    /// <summary>Power spectrum (bins 0..n/2) of the first n samples, Hann window.</summary>
    public static double[] PowerSpectrum(ReadOnlySpan<float> x, int n)
    {
        var frame = new double[n];
        for (int i = 0; i < n && i < x.Length; i++) frame[i] = x[i] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n));
        var power = new double[n / 2 + 1];
        new RealFft(n).Power(frame, power, new double[n / 2 + 1], new double[n / 2 + 1]);
        return power;
    }

    public static float[] Left(float[] interleaved) => [.. interleaved.Where((_, i) => i % 2 == 0)];

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.Sqrt(saa * sbb + 1e-12);
    }
}
