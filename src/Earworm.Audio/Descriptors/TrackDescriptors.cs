using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Descriptors;

/// <summary>
/// The interpretable descriptors of one track, as <see cref="TrackDescriptorAnalyzer"/> measures them
/// from mono PCM. Never NaN or infinite: what cannot be measured is null (tempo, key and loudness
/// of silence) or 0 (every other value), and <see cref="IsSilent"/> says why.
/// </summary>
/// <remarks>
/// Acousticness and valence are deliberately absent: they cannot be measured honestly without a
/// trained model. Stereo sources are measured as ffmpeg's mono down-mix (L + R)/√2; see
/// <see cref="LoudnessMeter"/> for what that means for loudness.
/// </remarks>
public sealed record TrackDescriptors
{
    /// <summary>Version of the descriptor definitions; bump it when any value's method changes so
    /// the catalog recomputes descriptors. 2: tempo from a tempogram with a bar-level salience and
    /// a gated double-time rule, confidence as pulse clarity (version 1 doubled many real tracks).
    /// 3: compound metre counted in dotted beats, the double-time rule asks for onsets half-way, and
    /// energy combines loudness, brightness, noisiness, onset rate and flux (version 2's was the RMS level alone).</summary>
    public const int Version = 3;

    /// <summary>Length of the analysed signal, seconds.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Sample rate of the analysed signal, Hz.</summary>
    public required int SampleRateHz { get; init; }

    /// <summary>True when the signal is all zeros or lies below BS.1770's absolute gate of −70 LUFS
    /// (no 400 ms block reaches it, or, for a clip shorter than one block, the whole clip does not):
    /// then tempo, key and loudness are null, and every other value 0 except the duration, the RMS
    /// level (null only for all zeros) and the zero-crossing rate.</summary>
    public required bool IsSilent { get; init; }

    /// <summary>Global tempo, BPM (<see cref="TempoEstimator"/>: log-mel spectral flux as Böck &amp; Widmer
    /// 2013 / librosa, an autocorrelation tempogram averaged over 8.9 s windows (Grosche et al. 2010),
    /// salience T(P) + ½·T(2P) under a log-Gaussian prior at 120 BPM as Ellis 2007, a double-time rule
    /// for 160–200 BPM gated by pulse clarity, compound metre counted in dotted beats, sub-frame refinement); null when silent, shorter than a
    /// few beats, or without any onset. Read it with <see cref="TempoConfidence"/>: under about 0.3
    /// the music has no steady beat and the figure is a guess.</summary>
    public double? TempoBpm { get; init; }

    /// <summary>Pulse clarity at the beat period, 0..1 (0 when no tempo): the mean over 8.9 s windows of
    /// the onset envelope's normalised autocorrelation at the period. A metronome gives about 0.95,
    /// programmed drums 0.65–0.95; 257 soundtrack files 0.15 (10th percentile), 0.45 (median), 0.65
    /// (90th). Under 0.3 the music has no steady beat that two programs agree on, and the tempo is a guess.</summary>
    public double TempoConfidence { get; init; }

    /// <summary>Beat times, seconds from the start, to one onset frame (23 ms) (<see cref="BeatTracker"/>:
    /// Ellis 2007 dynamic programming, as librosa's beat_track); empty when no tempo.</summary>
    public IReadOnlyList<double> BeatTimesSeconds { get; init; } = [];

    /// <summary>Pitch class of the key's tonic, 0..11 with C = 0 (<see cref="KeyEstimator"/>: Krumhansl–Schmuckler
    /// with the Krumhansl &amp; Kessler 1982 profiles, on a long-frame chroma); null when silent or atonal.</summary>
    public int? KeyTonic { get; init; }

    /// <summary>Mode of the key; null with <see cref="KeyTonic"/>.</summary>
    public Mode? KeyMode { get; init; }

    /// <summary>Correlation of the chroma with the winning key profile, 0..1 (0 when no key).</summary>
    public double KeyConfidence { get; init; }

    /// <summary>The key as text, e.g. "A minor"; null when no key.</summary>
    public string? KeyName => KeyTonic is int t && KeyMode is Mode m ? MusicTheory.KeyName(t, m) : null;

    /// <summary>The key's Camelot code, e.g. "8A" for A minor, "8B" for C major; null when no key.</summary>
    public string? CamelotCode => KeyTonic is int t && KeyMode is Mode m ? KeyEstimator.CamelotCode(t, m) : null;

    /// <summary>Integrated loudness, LUFS (<see cref="LoudnessMeter"/>: ITU-R BS.1770-4 K-weighting and
    /// gating, EBU R 128); null when silent or shorter than 400 ms.</summary>
    public double? IntegratedLoudnessLufs { get; init; }

    /// <summary>Loudness range, LU (EBU Tech 3342: 10th to 95th percentile of the gated 3 s short-term
    /// loudness); 0 when silent or too short (under 3 s).</summary>
    public double LoudnessRangeLu { get; init; }

    /// <summary>RMS level of the whole signal, dBFS (a full-scale sine is −3.01); null when all zero.</summary>
    public double? RmsDbfs { get; init; }

    /// <summary>Energy, 0..1, intensity and activity at once (<see cref="Descriptors.Energy"/>): the weighted mean
    /// 0.30·loudness + 0.25·brightness + 0.15·noisiness + 0.15·onset rate + 0.15·spectral flux, each part
    /// mapped to 0..1; 0 when silent. At equal loudness a drum kit reads well above a pad or a piano.</summary>
    public double Energy { get; init; }

    /// <summary>Danceability, 0..1 (<see cref="DanceabilityDfa"/>: detrended fluctuation analysis of
    /// Streich &amp; Herrera 2005 as Essentia computes it, typically 0..3, divided by 3 and clamped).</summary>
    public double Danceability { get; init; }

    /// <summary>Brightness: mean spectral centroid (magnitude-weighted, as librosa), Hz, over frames above −80 dBFS.</summary>
    public double SpectralCentroidHz { get; init; }

    /// <summary>Mean spectral flatness, 0..1 (Wiener entropy, Dubnov 2004: geometric over arithmetic mean
    /// of the magnitude spectrum, 50 Hz – 8 kHz): white noise about 0.85, a pure tone near 0.</summary>
    public double SpectralFlatness { get; init; }

    /// <summary>Zero crossings per second (a sine of f Hz gives 2f).</summary>
    public double ZeroCrossingsPerSecond { get; init; }

    /// <summary>Onsets per second (<see cref="OnsetPicker"/>: peak picking after Böck, Krebs &amp; Schedl 2012
    /// with librosa's defaults, on the onset envelope, which hears below ~2.7 kHz).</summary>
    public double OnsetsPerSecond { get; init; }

    /// <summary>Dynamic complexity, LU: mean absolute deviation of the momentary loudness from its
    /// loud-weighted mean (Streich 2007, as Essentia, on BS.1770 momentary loudness).</summary>
    public double DynamicComplexityLu { get; init; }

    /// <summary>Means of the MFCCs (Davis &amp; Mermelstein 1980) over voiced frames, c0 first, in librosa's
    /// conventions (<see cref="SpectralStatistics"/>: Slaney mel, 128 bands, dB without top_db,
    /// orthonormal DCT-II); zeros when silent.</summary>
    public IReadOnlyList<double> MfccMeans { get; init; } = [];

    /// <summary>Population standard deviations of the MFCCs over voiced frames; zeros when silent.</summary>
    public IReadOnlyList<double> MfccStandardDeviations { get; init; } = [];
}
