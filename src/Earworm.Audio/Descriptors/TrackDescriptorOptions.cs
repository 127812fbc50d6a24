namespace Earworm.Audio.Descriptors;

/// <summary>
/// Parameters of <see cref="TrackDescriptorAnalyzer"/>. The defaults are for the 22 050 Hz mono the
/// scanner decodes; <see cref="ForSampleRate"/> scales the sample-count parameters for other rates.
/// Changing any value changes the descriptors: the catalog keys them by
/// <see cref="TrackDescriptors.Version"/>, which assumes the defaults.
/// </summary>
public sealed record TrackDescriptorOptions
{
    /// <summary>The defaults at 22 050 Hz.</summary>
    public static TrackDescriptorOptions Default { get; } = new();

    /// <summary>Sample rate of the input PCM, Hz; 8 000..192 000. Default 22 050.</summary>
    public int SampleRate { get; init; } = 22050;

    /// <summary>FFT size of the full-band spectral frames (centroid, flatness, MFCC), a power of two.
    /// Default 2048 (93 ms at 22 050 Hz, librosa's default).</summary>
    public int SpectralFftSize { get; init; } = 2048;

    /// <summary>Hop of the spectral frames, samples. Default 8192 (2.7 frames per second): a 93 ms
    /// window every 372 ms. The spectral descriptors are means and deviations over a whole track,
    /// which a regular sample of a quarter of its frames estimates well (thousands of frames for a
    /// song), at a quarter of the cost of a gapless tiling.</summary>
    public int SpectralHop { get; init; } = 8192;

    /// <summary>Mel bands under the MFCCs. Default 128 (librosa's default).</summary>
    public int MelBands { get; init; } = 128;

    /// <summary>Number of MFCCs, c0 included. Default 20 (librosa's default).</summary>
    public int MfccCount { get; init; } = 20;

    /// <summary>Lowest frequency of the flatness band, Hz. Default 50.</summary>
    public double FlatnessMinHz { get; init; } = 50;

    /// <summary>Highest frequency of the flatness band, Hz. Default 8 000.</summary>
    public double FlatnessMaxHz { get; init; } = 8000;

    /// <summary>Decimation factor of the signal the rhythm and key analyses read. Default 4
    /// (5 512.5 Hz: everything up to about 2.7 kHz, where the beat and the harmony live).</summary>
    public int DecimationFactor { get; init; } = 4;

    /// <summary>FFT size of the onset-envelope frames at the decimated rate. Default 256 (46 ms).</summary>
    public int OnsetFftSize { get; init; } = 256;

    /// <summary>Hop of the onset envelope at the decimated rate. Default 128 (23.2 ms, 43 frames per
    /// second, librosa's default frame rate for beat tracking).</summary>
    public int OnsetHop { get; init; } = 128;

    /// <summary>Mel bands of the onset envelope. Default 40.</summary>
    public int OnsetMelBands { get; init; } = 40;

    /// <summary>FFT size of the chroma frames at the decimated rate. Default 4096 (0.74 s, 1.35 Hz bins).</summary>
    public int ChromaFftSize { get; init; } = 4096;

    /// <summary>Hop of the chroma frames at the decimated rate. Default 4096 (abutting frames: the
    /// chroma is a mean over the track, which needs coverage, not overlap).</summary>
    public int ChromaHop { get; init; } = 4096;

    /// <summary>Lowest frequency folded into the chroma, Hz. Default 60.</summary>
    public double ChromaMinHz { get; init; } = 60;

    /// <summary>Highest frequency folded into the chroma, Hz. Default 2 000.</summary>
    public double ChromaMaxHz { get; init; } = 2000;

    /// <summary>The key profiles. Default Krumhansl &amp; Kessler's. Temperley's score higher on the MIDI ground-truth
    /// set (MIREX weighted 0.87 against 0.83, bench/README.md), whose minor pieces raise the leading tone, but
    /// read natural-minor music (the demo's rock and house, i–VI–VII–i) as its relative major.</summary>
    public KeyProfile KeyProfile { get; init; } = KeyProfile.KrumhanslKessler;

    /// <summary>Tempo range, prior and octave rule.</summary>
    public TempoOptions Tempo { get; init; } = new();

    /// <summary>Beat tracker tightness (librosa's default 100).</summary>
    public double BeatTightness { get; init; } = BeatTracker.DefaultTightness;

    /// <summary>Scales and weights of <see cref="Descriptors.Energy"/>.</summary>
    public EnergyOptions Energy { get; init; } = new();

    /// <summary>The defaults with the sample-count parameters scaled to <paramref name="sampleRate"/>:
    /// FFT sizes to the nearest power of two of the same duration, the decimation to about 5.5 kHz.</summary>
    public static TrackDescriptorOptions ForSampleRate(int sampleRate)
    {
        if (sampleRate == Default.SampleRate) return Default;
        double ratio = sampleRate / (double)Default.SampleRate;
        int decimation = Math.Max(1, (int)Math.Round(sampleRate / 5512.5));
        double decimatedRatio = sampleRate / (double)decimation / (Default.SampleRate / (double)Default.DecimationFactor);
        int spectralFft = PowerOfTwo(Default.SpectralFftSize * ratio);
        int onsetFft = PowerOfTwo(Default.OnsetFftSize * decimatedRatio);
        int chromaFft = PowerOfTwo(Default.ChromaFftSize * decimatedRatio);
        return Default with
        {
            SampleRate = sampleRate,
            SpectralFftSize = spectralFft,
            SpectralHop = 4 * spectralFft,
            DecimationFactor = decimation,
            OnsetFftSize = onsetFft,
            OnsetHop = onsetFft / 2,
            ChromaFftSize = chromaFft,
            ChromaHop = chromaFft,
            FlatnessMaxHz = Math.Min(Default.FlatnessMaxHz, 0.45 * sampleRate),
        };
    }

    /// <summary>The rate the rhythm and key analyses run at, Hz.</summary>
    public double DecimatedSampleRate => SampleRate / (double)DecimationFactor;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (SampleRate is < 8000 or > 192000)
            throw new ArgumentException($"SampleRate must lie in 8 000..192 000 Hz, got {SampleRate}.");
        CheckPowerOfTwo(SpectralFftSize, nameof(SpectralFftSize));
        CheckPowerOfTwo(OnsetFftSize, nameof(OnsetFftSize));
        CheckPowerOfTwo(ChromaFftSize, nameof(ChromaFftSize));
        if (SpectralHop < 1 || OnsetHop < 1 || ChromaHop < 1)
            throw new ArgumentException($"Hops must be at least 1 sample, got {SpectralHop}, {OnsetHop}, {ChromaHop}.");
        if (MelBands < 1 || MfccCount < 1 || MfccCount > MelBands)
            throw new ArgumentException($"Need 1 ≤ MfccCount ≤ MelBands, got {MfccCount} and {MelBands}.");
        if (OnsetMelBands < 1) throw new ArgumentException($"OnsetMelBands must be at least 1, got {OnsetMelBands}.");
        if (!(FlatnessMinHz >= 0 && FlatnessMaxHz > FlatnessMinHz && FlatnessMaxHz <= SampleRate / 2.0))
            throw new ArgumentException($"Need 0 ≤ FlatnessMinHz < FlatnessMaxHz ≤ Nyquist, got {FlatnessMinHz} and {FlatnessMaxHz} Hz.");
        if (DecimationFactor is < 1 or > 64) throw new ArgumentException($"DecimationFactor must lie in 1..64, got {DecimationFactor}.");
        if (!(ChromaMinHz > 0 && ChromaMaxHz > ChromaMinHz && ChromaMaxHz < DecimatedSampleRate / 2))
            throw new ArgumentException(
                $"Need 0 < ChromaMinHz < ChromaMaxHz < {DecimatedSampleRate / 2} Hz (the decimated Nyquist frequency), got {ChromaMinHz} and {ChromaMaxHz}.");
        ArgumentNullException.ThrowIfNull(Tempo, nameof(Tempo));
        Tempo.Validate();
        if (!(BeatTightness > 0)) throw new ArgumentException($"BeatTightness must be positive, got {BeatTightness}.");
        ArgumentNullException.ThrowIfNull(Energy, nameof(Energy));
        Energy.Validate();
    }

    private static void CheckPowerOfTwo(int n, string name)
    {
        if (n < 16 || (n & (n - 1)) != 0) throw new ArgumentException($"{name} must be a power of two ≥ 16, got {n}.");
    }

    private static int PowerOfTwo(double n) => 1 << Math.Max(4, (int)Math.Round(Math.Log2(n)));
}
