using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Tests.Synthesis;

public class MusicTheoryTests
{
    [Theory]
    [InlineData(69, 440.0)]
    [InlineData(60, 261.6256)]
    [InlineData(81, 880.0)]
    [InlineData(21, 27.5)]
    public void MidiNotesMapToEqualTemperedFrequencies(int midi, double hz)
    {
        Assert.Equal(hz, MusicTheory.MidiToHz(midi), 1e-3);
        Assert.Equal(midi, MusicTheory.HzToMidi(hz), 1e-4);
    }

    [Fact]
    public void ScalesHaveTheirIntervals()
    {
        Assert.Equal([0, 2, 4, 5, 7, 9, 11], MusicTheory.ScaleSteps(Mode.Major));
        Assert.Equal([0, 2, 3, 5, 7, 8, 10], MusicTheory.ScaleSteps(Mode.Minor));
        Assert.Equal([9, 11, 0, 2, 4, 5, 7], MusicTheory.ScalePitchClasses(9, Mode.Minor));   // A minor: white keys
        Assert.Equal(59, MusicTheory.ScaleNote(60, Mode.Major, -1));                          // B below middle C
        Assert.Equal(74, MusicTheory.ScaleNote(60, Mode.Major, 8));                           // D an octave up
        Assert.Equal(68, MusicTheory.ScaleNote(57, Mode.Minor, 6, raisedLeadingTone: true));  // G# in A minor
    }

    [Fact]
    public void DiatonicTriadsHaveTheRightNotesAndQualities()
    {
        Assert.Equal([65, 69, 72], MusicTheory.Triad(60, Mode.Major, new Chord(3)));        // IV of C: F A C
        Assert.Equal([64, 68, 71], MusicTheory.Triad(57, Mode.Minor, new Chord(4, true)));  // V of A minor: E G# B
        Assert.Equal([64, 67, 71], MusicTheory.Triad(57, Mode.Minor, new Chord(4)));        // v of A minor: E G B
        Assert.Equal("vii°", new Chord(6).Numeral(Mode.Major));
        Assert.Equal("I IV V I", string.Join(" ", Progressions.Cadence(Mode.Major).Select(c => c.Numeral(Mode.Major))));
        Assert.Equal("i iv V i", string.Join(" ", Progressions.Cadence(Mode.Minor).Select(c => c.Numeral(Mode.Minor))));
        Assert.Equal("i VI III VII", string.Join(" ", Progressions.MinorLoop.Select(c => c.Numeral(Mode.Minor))));
    }

    [Fact]
    public void EveryProgressionStartsOnTheTonic()
    {
        IReadOnlyList<Chord>[] all =
        [
            Progressions.Cadence(Mode.Major), Progressions.Cadence(Mode.Minor), Progressions.Pop, Progressions.MinorLoop,
            Progressions.Aeolian, Progressions.MinorTonicHeavy, Progressions.MajorTonicHeavy, Progressions.MajorDrift,
            Progressions.MinorDrift, Progressions.MinorPendulum,
        ];
        Assert.All(all, p => Assert.Equal(Chord.Tonic, p[0]));
    }

    [Theory]
    [InlineData(9, Mode.Minor, "A minor")]
    [InlineData(0, Mode.Major, "C major")]
    [InlineData(1, Mode.Major, "C# major")]
    [InlineData(10, Mode.Minor, "A# minor")]
    public void KeysAreNamedWithSharps(int tonic, Mode mode, string name) =>
        Assert.Equal(name, MusicTheory.KeyName(tonic, mode));
}
