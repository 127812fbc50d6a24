namespace Earworm.Audio.Descriptors;

/// <summary>Parameters of <see cref="TempoEstimator"/>; the defaults are documented on each.</summary>
public sealed record TempoOptions
{
    /// <summary>Slowest tempo considered, BPM. Default 40.</summary>
    public double MinBpm { get; init; } = 40;

    /// <summary>Fastest tempo considered, BPM. Default 240.</summary>
    public double MaxBpm { get; init; } = 240;

    /// <summary>Centre of the log-Gaussian tempo prior, BPM. Default 120 (librosa's start_bpm, Ellis 2007).</summary>
    public double PriorCentreBpm { get; init; } = 120;

    /// <summary>Standard deviation of the prior in octaves. Default 0.7, narrower than librosa's std_bpm of 1:
    /// the one value chosen on real music (the real-music report's soundtracks, where 1 gives a few
    /// points less agreement with both references; bench/README.md).</summary>
    public double PriorOctaves { get; init; } = 0.7;

    /// <summary>Length of the tempogram's analysis windows, seconds. Default 8.9 (librosa's
    /// win_length of 384 frames at 43 frames per second): several beats even at 40 BPM, short
    /// enough that a tempo change or a loud passage only moves a part of the average.</summary>
    public double WindowSeconds { get; init; } = 8.9;

    /// <summary>Hop between tempogram windows, seconds. Default 0.37 (16 frames): the average over
    /// windows moves by well under 1 % when the hop is halved, at a sixteenth of the cost of a
    /// window at every frame.</summary>
    public double WindowHopSeconds { get; init; } = 0.37;

    /// <summary>Tempogram windows whose RMS deviation is under this, in the envelope's units, hold no
    /// onsets and are left out. Default 0.1, for <see cref="OnsetEnvelope"/>'s mean log-mel flux in
    /// dB: a tenth of a decibel is far below the smallest audible change of level (about 0.5 dB);
    /// music measures 0.3–2 dB, the frame ripple of a steady sine about 0.06.</summary>
    public double MinWindowDeviation { get; init; } = 0.1;

    /// <summary>Weight of the bar level (twice the period) in a period's salience. Default 0.5:
    /// salience(P) = T(P) + ½·T(2P), so a period whose pulses group in twos beats one that shares
    /// its height by chance (a 3:2 relative of the beat, which recurs only every third period).</summary>
    public double BarWeight { get; init; } = 0.5;

    /// <summary>The double-time rule halves the period when the comb salience of the half period is
    /// at least this fraction of the period's. Default 0.52 (0.5 means nothing at all happens
    /// half-way between the beats, 1 that the half-way onsets are as regular as the beats; a
    /// synthetic drum-and-bass break lies between 0.52 and 0.55).</summary>
    public double DoubleTimeRatio { get; init; } = 0.52;

    /// <summary>… and only when the pulse is this clear at least (the tempogram at the period, 0..1).
    /// Default 0.6: programmed drums and click tracks reach 0.65–0.98. On the 257 soundtrack files
    /// of the real-music report the rule then fires twice; without the gate it fires on 34 of them,
    /// and agreement with aubio's beats falls from 66 % to 63 % within 4 % (the half-period
    /// evidence of recorded music is near the noise).</summary>
    public double MinDoubleTimeClarity { get; init; } = 0.6;

    /// <summary>The double-time rule only produces tempi from this… Default 160 BPM.</summary>
    public double MinDoubleTimeBpm { get; init; } = 160;

    /// <summary>… to this, BPM. Default 200: above it a pulse is felt as subdivisions (eighth
    /// notes), not as the beat.</summary>
    public double MaxDoubleTimeBpm { get; init; } = 200;

    /// <summary>Ternary grouping (<see cref="MetricalLevel.TernaryBeat"/>): the least contrast T(3τ) − max(T(2τ), T(4τ)),
    /// untapered, that makes the dotted level the beat. Default 0.15: on the MIDI ground-truth set
    /// (bench/README.md) 6/8 and 12/8 pieces read at the eighth give 0.16–0.66 (two with a flat eighth
    /// pulse, 0.00 and 0.06), every 4/4 piece, the synthetic clicks and drums, and 256 of 257 soundtrack
    /// files at most 0.11.</summary>
    public double TernaryMargin { get; init; } = 0.15;

    /// <summary>… and the least untapered tempogram value at the dotted beat itself. Default 0.5.</summary>
    public double MinTernaryGroupSalience { get; init; } = 0.5;

    /// <summary>… and the fastest dotted beat it makes, BPM. Default 120 (a quick jig; compound metres
    /// are rarely counted faster, and a faster "dotted" level is usually a syncopation of 4/4).</summary>
    public double MaxTernaryBeatBpm { get; init; } = 120;

    /// <summary>The double-time rule also needs this much onset strength half-way between the beats,
    /// relative to the beats (<see cref="MetricalLevel.HalfBeatRatio"/>). Default 0.4: a drum-and-bass break
    /// or a rock beat counted at half tempo gives about 0.5, a 4/4 piece counted right with a hi-hat or
    /// a quiet eighth-note bass between its beats 0.1–0.35.</summary>
    public double MinHalfBeatRatio { get; init; } = 0.4;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!(MinBpm > 0 && MaxBpm > MinBpm)) throw new ArgumentException($"Need 0 < MinBpm < MaxBpm, got {MinBpm}, {MaxBpm}.");
        if (!(PriorCentreBpm > 0)) throw new ArgumentException($"PriorCentreBpm must be positive, got {PriorCentreBpm}.");
        if (!(PriorOctaves > 0)) throw new ArgumentException($"PriorOctaves must be positive, got {PriorOctaves}.");
        if (!(WindowSeconds > 0 && WindowHopSeconds > 0)) throw new ArgumentException($"WindowSeconds and WindowHopSeconds must be positive, got {WindowSeconds} and {WindowHopSeconds}.");
        if (!(MinWindowDeviation >= 0)) throw new ArgumentException($"MinWindowDeviation must be non-negative, got {MinWindowDeviation}.");
        if (!(BarWeight >= 0)) throw new ArgumentException($"BarWeight must be non-negative, got {BarWeight}.");
        if (!(DoubleTimeRatio > 0)) throw new ArgumentException($"DoubleTimeRatio must be positive, got {DoubleTimeRatio}.");
        if (!(MinDoubleTimeClarity >= 0)) throw new ArgumentException($"MinDoubleTimeClarity must be non-negative, got {MinDoubleTimeClarity}.");
        if (!(TernaryMargin >= 0 && MinTernaryGroupSalience >= 0 && MaxTernaryBeatBpm > 0))
            throw new ArgumentException($"TernaryMargin, MinTernaryGroupSalience and MaxTernaryBeatBpm must be non-negative (the last positive), got {TernaryMargin}, {MinTernaryGroupSalience}, {MaxTernaryBeatBpm}.");
        if (!(MinHalfBeatRatio >= 0)) throw new ArgumentException($"MinHalfBeatRatio must be non-negative, got {MinHalfBeatRatio}.");
        if (!(MinDoubleTimeBpm > 0 && MaxDoubleTimeBpm >= MinDoubleTimeBpm))
            throw new ArgumentException($"Need 0 < MinDoubleTimeBpm ≤ MaxDoubleTimeBpm, got {MinDoubleTimeBpm} and {MaxDoubleTimeBpm}.");
    }
}
