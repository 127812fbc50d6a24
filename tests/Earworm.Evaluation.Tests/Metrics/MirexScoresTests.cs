using Earworm.Audio.Synthesis;
using Earworm.Evaluation.Metrics;

namespace Earworm.Evaluation.Tests.Metrics;

/// <summary>The MIREX tempo accuracies and weighted key score on cases worked out by hand.</summary>
public class MirexScoresTests
{
    [Theory]
    [InlineData(120, 120, true, true)]
    [InlineData(124.7, 120, true, true)]      // +3.9 %
    [InlineData(125, 120, false, false)]      // +4.2 %, and no multiple within 4 % either
    [InlineData(60, 120, false, true)]        // half
    [InlineData(240, 120, false, true)]       // double
    [InlineData(180, 60, false, true)]        // triple: the eighths of 6/8 at 60
    [InlineData(40, 120, false, true)]        // third
    [InlineData(80, 120, false, false)]       // 2:3, the swing error: never counted
    [InlineData(90, 60, false, false)]        // 3:2
    public void TempoAccuraciesAllowFourPercentAndOnlyTheirMultiples(double estimate, double reference, bool acc1, bool acc2)
    {
        Assert.Equal(acc1, MirexScores.TempoAccuracy1(estimate, reference));
        Assert.Equal(acc2, MirexScores.TempoAccuracy2(estimate, reference));
    }

    [Theory]
    [InlineData(0, Mode.Major, 0, Mode.Major, KeyRelation.Correct, 1.0)]
    [InlineData(7, Mode.Major, 0, Mode.Major, KeyRelation.Fifth, 0.5)]       // G major for C major
    [InlineData(4, Mode.Minor, 9, Mode.Minor, KeyRelation.Fifth, 0.5)]       // E minor for A minor
    [InlineData(5, Mode.Major, 0, Mode.Major, KeyRelation.Other, 0.0)]       // F for C: a fifth below counts nothing
    [InlineData(9, Mode.Minor, 0, Mode.Major, KeyRelation.Relative, 0.3)]    // A minor for C major
    [InlineData(0, Mode.Major, 9, Mode.Minor, KeyRelation.Relative, 0.3)]    // C major for A minor
    [InlineData(3, Mode.Major, 0, Mode.Minor, KeyRelation.Relative, 0.3)]    // E♭ major for C minor
    [InlineData(0, Mode.Minor, 0, Mode.Major, KeyRelation.Parallel, 0.2)]
    [InlineData(2, Mode.Major, 0, Mode.Major, KeyRelation.Other, 0.0)]
    [InlineData(4, Mode.Minor, 0, Mode.Major, KeyRelation.Other, 0.0)]       // E minor for C major: not relative
    public void KeyRelationsScoreAsMirexWeighsThem(int estTonic, Mode estMode, int refTonic, Mode refMode, KeyRelation relation, double score)
    {
        Assert.Equal(relation, MirexScores.Relate(estTonic, estMode, refTonic, refMode));
        Assert.Equal(score, MirexScores.KeyScore(estTonic, estMode, refTonic, refMode));
    }

    [Fact]
    public void NoEstimateScoresZeroAndBadTonicsAreRefused()
    {
        Assert.Equal(0, MirexScores.KeyScore(null, null, 0, Mode.Major));
        Assert.Throws<ArgumentOutOfRangeException>(() => MirexScores.Relate(12, Mode.Major, 0, Mode.Major));
    }
}
