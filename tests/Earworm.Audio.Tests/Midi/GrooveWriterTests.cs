using Earworm.Audio.Midi;
using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Tests.Midi;

/// <summary>The MIDI pieces GrooveWriter writes carry their ground truth and their feel.</summary>
public class GrooveWriterTests
{
    [Theory]
    [InlineData(Feel.Straight, 128, "4/4", 1.0)]
    [InlineData(Feel.Swing, 180, "4/4", 1.0)]
    [InlineData(Feel.Shuffle, 96, "4/4", 1.0)]
    [InlineData(Feel.SixEight, 60, "6/8", 1.5)]
    [InlineData(Feel.TwelveEight, 52, "12/8", 1.5)]
    public void TheFileStatesTheSpecsTempoMetreAndKey(Feel feel, double beatBpm, string metre, double beatQuarters)
    {
        var spec = new GrooveSpec(feel, beatBpm, Tonic: 3, Mode.Minor, DurationSeconds: 20, Seed: 9);
        var truth = MidiGroundTruth.Of(MidiReader.Read(MidiWriter.Write(GrooveWriter.Write(spec))));
        Assert.Equal(beatBpm, truth.BeatBpm, 1e-2);
        Assert.Equal(beatBpm * beatQuarters, truth.QuarterBpm, 1e-2);
        Assert.Equal(metre, truth.TimeSignature);
        Assert.Equal(1.0, truth.TempoShare);
        Assert.Equal("D# minor", truth.KeyName);
        Assert.InRange(truth.DurationSeconds, 17, 24);
    }

    [Fact]
    public void TheSameSpecWritesTheSameBytesAndAnotherSeedOthers()
    {
        var spec = new GrooveSpec(Feel.Swing, 140, 0, Mode.Major, 15, Seed: 1);
        Assert.Equal(MidiWriter.Write(GrooveWriter.Write(spec)), MidiWriter.Write(GrooveWriter.Write(spec)));
        Assert.NotEqual(MidiWriter.Write(GrooveWriter.Write(spec)), MidiWriter.Write(GrooveWriter.Write(spec with { Seed = 2 })));
    }

    [Fact]
    public void SwungRideNotesFallLateAndShuffledOnesOnTheTriplet()
    {
        static List<double> RideOffbeats(Feel feel, double bpm)
        {
            var file = GrooveWriter.Write(new GrooveSpec(feel, bpm, 0, Mode.Major, 20, 4) { TimingJitterSeconds = 0 });
            int tpq = file.TicksPerQuarter;
            var cymbals = file.Tracks.SelectMany(t => t.Events).OfType<NoteOnEvent>()
                .Where(e => e.Channel == MidiFile.DrumChannel && e.Note is 42 or 51).Select(e => e.Tick % tpq / (double)tpq).ToList();
            return [.. cymbals.Where(f => f > 0.05 && f < 0.95)];
        }
        Assert.All(RideOffbeats(Feel.Swing, 120), f => Assert.InRange(f, 0.6, 0.72));
        Assert.All(RideOffbeats(Feel.Shuffle, 120), f => Assert.Equal(2.0 / 3, f, 0.01));
        Assert.NotEmpty(RideOffbeats(Feel.Shuffle, 120));
    }

    [Fact]
    public void WithoutDrumsNothingPlaysOnTheDrumChannelAndTheSpecIsChecked()
    {
        var file = GrooveWriter.Write(new GrooveSpec(Feel.SixEight, 70, 5, Mode.Major, 10, 3) { Drums = false });
        Assert.DoesNotContain(MidiFile.DrumChannel, file.NoteChannels);
        Assert.Contains(GrooveWriter.BassChannel, file.NoteChannels);
        Assert.Throws<ArgumentOutOfRangeException>(() => GrooveWriter.Write(new GrooveSpec(Feel.Swing, 20, 0, Mode.Major, 10, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => GrooveWriter.Write(new GrooveSpec(Feel.Swing, 120, 12, Mode.Major, 10, 1)));
    }
}
