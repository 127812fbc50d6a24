namespace Earworm.Audio.Synthesis;

/// <summary>How the beat is divided: the rhythmic feels a tempo estimator must count right.</summary>
public enum Feel
{
    /// <summary>4/4, eighth notes halving the beat.</summary>
    Straight,
    /// <summary>4/4 jazz swing: the off-beat eighth late, at 0.58–0.70 of the beat (later at slower
    /// tempi), over a ride cymbal's "spang-a-lang", a walking bass and comping chords.</summary>
    Swing,
    /// <summary>4/4 shuffle: the beat in triplets, long–short (the off-beat at 2/3), a backbeat on 2 and 4,
    /// a boogie bass.</summary>
    Shuffle,
    /// <summary>6/8: two dotted-quarter beats to the bar, each of three eighths.</summary>
    SixEight,
    /// <summary>12/8: four dotted-quarter beats to the bar, each of three eighths (the slow blues).</summary>
    TwelveEight,
}

/// <summary>
/// Everything that determines a piece <see cref="GrooveWriter"/> writes as MIDI: the same spec
/// writes the same file. Its fields are the ground truth estimators are scored against.
/// </summary>
/// <param name="Feel">Metre and division of the beat.</param>
/// <param name="BeatBpm">Tempo of the counted beat: the quarter note in 4/4, the dotted quarter in
/// 6/8 and 12/8 (so 6/8 at 60 has eighth notes at 180 per minute), 30..300.</param>
/// <param name="Tonic">Pitch class of the key's tonic, 0..11 (C = 0).</param>
/// <param name="Mode">Major or (natural, with the harmonic-minor dominant) minor.</param>
/// <param name="DurationSeconds">Length of the music, seconds, 1..3600 (whole bars: the last is cut to fit).</param>
/// <param name="Seed">Seeds every choice: instruments, patterns, melody, humanised timing and velocity.</param>
public sealed record GrooveSpec(Feel Feel, double BeatBpm, int Tonic, Mode Mode, double DurationSeconds, int Seed)
{
    /// <summary>A drum kit plays (channel 10). Default true; without it the pulse is in the bass and chords alone.</summary>
    public bool Drums { get; init; } = true;

    /// <summary>Standard deviation of the humanised timing, seconds. Default 0.005 (a tight player);
    /// 0 puts every note exactly on its grid.</summary>
    public double TimingJitterSeconds { get; init; } = 0.005;

    /// <summary>The counted beat in quarter notes: 1, or 1.5 (the dotted quarter) in 6/8 and 12/8.</summary>
    public double BeatQuarters => Feel is Feel.SixEight or Feel.TwelveEight ? 1.5 : 1;

    /// <summary>Quarter notes per minute, as the MIDI file's tempo states it.</summary>
    public double QuarterBpm => BeatBpm * BeatQuarters;

    /// <summary>The time signature: 4/4, 6/8 or 12/8.</summary>
    public (int Numerator, int Denominator) TimeSignature => Feel switch
    {
        Feel.SixEight => (6, 8),
        Feel.TwelveEight => (12, 8),
        _ => (4, 4),
    };

    /// <summary>Bar length in quarter notes: 4, 3 (6/8) or 6 (12/8).</summary>
    public int BarQuarters => Feel switch
    {
        Feel.SixEight => 3,
        Feel.TwelveEight => 6,
        _ => 4,
    };

    /// <summary>"C minor".</summary>
    public string KeyName => MusicTheory.KeyName(Tonic, Mode);

    /// <summary>The tempi (of the counted beat) the feel is usually played at, BPM.</summary>
    public static (double Min, double Max) TypicalTempi(Feel feel) => feel switch
    {
        Feel.Straight => (70, 170),
        Feel.Swing => (100, 240),
        Feel.Shuffle => (80, 180),
        Feel.SixEight => (45, 100),
        Feel.TwelveEight => (45, 90),
        _ => throw new ArgumentOutOfRangeException(nameof(feel), feel, "Unknown feel."),
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Feel)) throw new ArgumentOutOfRangeException(nameof(Feel), Feel, "Unknown feel.");
        if (!Enum.IsDefined(Mode)) throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown mode.");
        if (!(BeatBpm is >= 30 and <= 300)) throw new ArgumentOutOfRangeException(nameof(BeatBpm), BeatBpm, "Tempo must lie in 30..300 BPM.");
        if (Tonic is < 0 or > 11) throw new ArgumentOutOfRangeException(nameof(Tonic), Tonic, "Tonic must be a pitch class 0..11.");
        if (!(DurationSeconds is >= 1 and <= 3600)) throw new ArgumentOutOfRangeException(nameof(DurationSeconds), DurationSeconds, "Duration must lie in 1..3600 seconds.");
        if (!(TimingJitterSeconds is >= 0 and <= 0.05)) throw new ArgumentOutOfRangeException(nameof(TimingJitterSeconds), TimingJitterSeconds, "Timing jitter must lie in 0..0.05 s.");
    }
}
