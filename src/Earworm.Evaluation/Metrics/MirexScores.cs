using Earworm.Audio.Synthesis;

namespace Earworm.Evaluation.Metrics;

/// <summary>How an estimated key relates to the reference key, in MIREX's audio key detection task.</summary>
public enum KeyRelation
{
    /// <summary>The same tonic and mode (score 1).</summary>
    Correct,
    /// <summary>Same mode, tonic a perfect fifth above the reference's (0.5).</summary>
    Fifth,
    /// <summary>The relative key: C major for A minor, A minor for C major (0.3).</summary>
    Relative,
    /// <summary>The parallel key: same tonic, other mode (0.2).</summary>
    Parallel,
    /// <summary>Anything else (0).</summary>
    Other,
}

/// <summary>
/// The MIREX scores of tempo and key estimates against a reference (the Music Information Retrieval
/// Evaluation eXchange's audio tempo and key tasks; Gouyon et al. 2006 "An experimental comparison of
/// audio tempo induction algorithms" for the accuracies).
/// </summary>
public static class MirexScores
{
    /// <summary>The tolerance of both tempo accuracies: 4 %.</summary>
    public const double TempoTolerance = 0.04;

    /// <summary>Accuracy 1: the estimate lies within 4 % of the reference.</summary>
    public static bool TempoAccuracy1(double estimatedBpm, double referenceBpm) =>
        referenceBpm > 0 && Math.Abs(estimatedBpm / referenceBpm - 1) <= TempoTolerance;

    /// <summary>Accuracy 2: within 4 % of the reference or of its double, half, triple or third (the
    /// metrical level may differ).</summary>
    public static bool TempoAccuracy2(double estimatedBpm, double referenceBpm) =>
        TempoAccuracy1(estimatedBpm, referenceBpm) || TempoAccuracy1(estimatedBpm, 2 * referenceBpm) || TempoAccuracy1(estimatedBpm, referenceBpm / 2)
        || TempoAccuracy1(estimatedBpm, 3 * referenceBpm) || TempoAccuracy1(estimatedBpm, referenceBpm / 3);

    /// <summary>How <paramref name="estimatedTonic"/> <paramref name="estimatedMode"/> relates to the reference
    /// key. The fifth counts only upwards (the estimate is the reference's dominant), as mir_eval's
    /// <c>key.weighted_score</c> does by default and MIREX 2005 defined it.</summary>
    public static KeyRelation Relate(int estimatedTonic, Mode estimatedMode, int referenceTonic, Mode referenceMode)
    {
        if (estimatedTonic is < 0 or > 11) throw new ArgumentOutOfRangeException(nameof(estimatedTonic), estimatedTonic, "Tonics are pitch classes 0..11.");
        if (referenceTonic is < 0 or > 11) throw new ArgumentOutOfRangeException(nameof(referenceTonic), referenceTonic, "Tonics are pitch classes 0..11.");
        if (estimatedTonic == referenceTonic && estimatedMode == referenceMode) return KeyRelation.Correct;
        if (estimatedMode == referenceMode && MusicTheory.PitchClass(estimatedTonic - referenceTonic) == 7) return KeyRelation.Fifth;
        if (referenceMode == Mode.Major && estimatedMode == Mode.Minor && MusicTheory.PitchClass(referenceTonic - estimatedTonic) == 3) return KeyRelation.Relative;
        if (referenceMode == Mode.Minor && estimatedMode == Mode.Major && MusicTheory.PitchClass(estimatedTonic - referenceTonic) == 3) return KeyRelation.Relative;
        if (estimatedTonic == referenceTonic) return KeyRelation.Parallel;
        return KeyRelation.Other;
    }

    /// <summary>The weight of a relation: correct 1, fifth 0.5, relative 0.3, parallel 0.2, other 0.</summary>
    public static double Weight(KeyRelation relation) => relation switch
    {
        KeyRelation.Correct => 1,
        KeyRelation.Fifth => 0.5,
        KeyRelation.Relative => 0.3,
        KeyRelation.Parallel => 0.2,
        _ => 0,
    };

    /// <summary>The MIREX weighted key score of one estimate (no estimate scores 0).</summary>
    public static double KeyScore(int? estimatedTonic, Mode? estimatedMode, int referenceTonic, Mode referenceMode) =>
        estimatedTonic is int t && estimatedMode is Mode m ? Weight(Relate(t, m, referenceTonic, referenceMode)) : 0;
}
