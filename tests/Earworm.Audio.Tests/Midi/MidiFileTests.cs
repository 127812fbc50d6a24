using Earworm.Audio.Midi;
using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Tests.Midi;

/// <summary>Standard MIDI Files: reading bytes written by hand, writing and reading back, the tempo map,
/// key signatures, and clear errors on what is not a MIDI file.</summary>
public class MidiFileTests
{
    // A format 0 file written by hand: 96 ticks per quarter; tempo 100 BPM (600 000 µs), 6/8, E minor
    // (1 sharp, minor), a program change, then C4 and E4 under running status (the second note-on and
    // the note-off as velocity 0 without a status byte), a pitch bend, end of track.
    private static readonly byte[] HandWritten =
    [
        .. "MThd"u8, 0, 0, 0, 6, 0, 0, 0, 1, 0, 96,
        .. "MTrk"u8, 0, 0, 0, 46,
        0x00, 0xFF, 0x51, 0x03, 0x09, 0x27, 0xC0,
        0x00, 0xFF, 0x58, 0x04, 6, 3, 36, 8,
        0x00, 0xFF, 0x59, 0x02, 0x01, 0x01,
        0x00, 0xC0, 24,
        0x00, 0x90, 60, 100,
        0x00, 64, 90,                           // running status: another note-on
        0x60, 60, 0,                            // one quarter later: C4 off (velocity 0)
        0x00, 64, 0,
        0x81, 0x00, 0xE0, 0x00, 0x40,           // delta 128 (two-byte quantity), pitch bend centre
        0x00, 0xFF, 0x2F, 0x00,
    ];

    [Fact]
    public void AHandWrittenFileReadsAsWritten()
    {
        var file = MidiReader.Read(HandWritten);
        Assert.Equal(0, file.Format);
        Assert.Equal(96, file.TicksPerQuarter);
        var events = file.Tracks.Single().Events;
        var tempo = Assert.IsType<TempoEvent>(events[0]);
        Assert.Equal(100, tempo.QuarterBpm, 1e-9);
        var metre = Assert.IsType<TimeSignatureEvent>(events[1]);
        Assert.Equal((6, 8, 36), (metre.Numerator, metre.Denominator, metre.ClocksPerClick));
        Assert.True(metre.IsCompound);
        Assert.Equal(1.5, metre.BeatQuarters);
        Assert.Equal("E minor", Assert.IsType<KeySignatureEvent>(events[2]).KeyName);
        Assert.Equal(24, Assert.IsType<ProgramChangeEvent>(events[3]).Program);
        Assert.Equal(new NoteOnEvent(0, 0, 64, 90), events[5]);
        Assert.Equal(new NoteOffEvent(96, 0, 60, 0), events[6]);
        var bend = Assert.IsType<RawMidiEvent>(events[8]);
        Assert.Equal(224, bend.Tick);
        Assert.Equal([0xE0, 0x00, 0x40], bend.Bytes);
    }

    [Fact]
    public void WritingAndReadingBackKeepsEveryEvent()
    {
        var original = MidiReader.Read(HandWritten);
        var again = MidiReader.Read(MidiWriter.Write(original));
        Assert.Equal(original.Format, again.Format);
        Assert.Equal(original.TicksPerQuarter, again.TicksPerQuarter);
        var a = original.Tracks[0].Events;
        var b = again.Tracks[0].Events;
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] is RawMidiEvent ra) Assert.Equal(ra.Bytes, Assert.IsType<RawMidiEvent>(b[i]).Bytes);
            else Assert.Equal(a[i], b[i]);
        }
    }

    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(127, new byte[] { 0x7F })]
    [InlineData(128, new byte[] { 0x81, 0x00 })]
    [InlineData(16383, new byte[] { 0xFF, 0x7F })]
    [InlineData(0x0FFFFFFF, new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })]
    public void VariableLengthQuantitiesAreTheStandardsExamples(long value, byte[] expected)
    {
        using var s = new MemoryStream();
        MidiWriter.WriteVariableLength(s, value);
        Assert.Equal(expected, s.ToArray());
    }

    [Fact]
    public void AScoreBecomesAFormatOneFileWithAConductorTrack()
    {
        var score = new MidiScore(480).Tempo(0, 90).Metre(0, 12, 8).Key(0, 10, Mode.Major)
            .Instrument(2, 33, name: "bass").Note(2, 40, 0, 1.5, 100).Note(2, 40, 1.5, 1.5, 90);
        var file = MidiReader.Read(MidiWriter.Write(score.ToMidiFile(1, "test")));
        Assert.Equal(1, file.Format);
        Assert.Equal(2, file.Tracks.Count);
        Assert.Equal("test", file.Tracks[0].Name);
        Assert.Equal("bass", file.Tracks[1].Name);
        var metre = file.Tracks[0].Events.OfType<TimeSignatureEvent>().Single();
        Assert.Equal(36, metre.ClocksPerClick);               // the click on the dotted quarter
        Assert.Equal("A# major", file.Tracks[0].Events.OfType<KeySignatureEvent>().Single().KeyName);
        // The repeated note: released at tick 720 before it strikes again there.
        var notes = file.Tracks[1].Events.Where(e => e is NoteOnEvent or NoteOffEvent).Select(e => (e.GetType().Name, e.Tick)).ToList();
        Assert.Equal([("NoteOnEvent", 0L), ("NoteOffEvent", 720L), ("NoteOnEvent", 720L), ("NoteOffEvent", 1440L)], notes);
        var truth = MidiGroundTruth.Of(file);
        Assert.Equal(90, truth.QuarterBpm, 1e-3);
        Assert.Equal(60, truth.BeatBpm, 1e-3);
        Assert.Equal("12/8", truth.TimeSignature);
        Assert.Equal(2.0, truth.DurationSeconds, 1e-5);       // 3 quarters at 90 (666 667 µs each)
        Assert.Equal(2.0, truth.PitchClassSeconds[4], 1e-5);  // E sounds throughout
        Assert.Equal(1.0, truth.GridShare);
    }

    [Fact]
    public void TheTempoMapTimesTicksAndNamesThePredominantTempo()
    {
        // 120 BPM for 8 quarters (4 s), then 60 BPM for 2 quarters (2 s), at 100 ticks per quarter.
        var map = new TempoMap([new TempoEvent(0, 500_000), new TempoEvent(800, 1_000_000)], 100);
        Assert.Equal(4.0, map.SecondsAt(800), 1e-12);
        Assert.Equal(5.0, map.SecondsAt(900), 1e-12);
        Assert.Equal(60, map.QuarterBpmAt(850), 1e-12);
        var (bpm, share) = map.Predominant(1000);
        Assert.Equal(120, bpm, 1e-9);
        Assert.Equal(4.0 / 6, share, 1e-9);
        // No tempo event: the standard's 120 BPM.
        Assert.Equal(0.5, new TempoMap([], 480).SecondsAt(480), 1e-12);
    }

    [Theory]
    [InlineData(0, Mode.Major, 0)]
    [InlineData(7, Mode.Major, 1)]
    [InlineData(5, Mode.Major, -1)]
    [InlineData(1, Mode.Major, -5)]
    [InlineData(6, Mode.Major, 6)]
    [InlineData(9, Mode.Minor, 0)]
    [InlineData(4, Mode.Minor, 1)]
    [InlineData(0, Mode.Minor, -3)]
    public void KeySignaturesCountSharpsAroundTheCircleOfFifths(int tonic, Mode mode, int sharps)
    {
        var k = KeySignatureEvent.Of(0, tonic, mode);
        Assert.Equal(sharps, k.Sharps);
        Assert.Equal(tonic, k.Tonic);
    }

    [Fact]
    public void NewProgramsReplaceOrPrecedeEachChannelsFirstNote()
    {
        var file = new MidiScore(96).Tempo(0, 120).Instrument(0, 0).Note(0, 60, 0, 1, 80).Note(1, 64, 2, 1, 80).ToMidiFile();
        var changed = file.WithPrograms(new Dictionary<int, int> { [0] = 40, [1] = 73 });
        var programs = changed.Tracks.SelectMany(t => t.Events).OfType<ProgramChangeEvent>().OrderBy(p => p.Channel).ToList();
        Assert.Equal([(0, 40, 0L), (1, 73, 192L)], programs.Select(p => (p.Channel, p.Program, p.Tick)));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.WithPrograms(new Dictionary<int, int> { [0] = 128 }));
    }

    [Fact]
    public void ShiftedNotesStillCountAsOnTheGrid()
    {
        // Every note 20 ticks late on a sixteenth grid of 192 ticks per quarter, as some sequencers leave them.
        long[] late = [.. Enumerable.Range(0, 64).Select(k => 48L * k + 20)];
        Assert.Equal(1.0, MidiGroundTruth.ShareOnGrid(late, 192));
        long[] free = [.. Enumerable.Range(0, 64).Select(k => (long)(k * 37.3))];
        Assert.True(MidiGroundTruth.ShareOnGrid(free, 192) < 0.8);
    }

    [Fact]
    public void WhatIsNoMidiFileIsRefusedWithItsOffset()
    {
        Assert.Contains("no MThd", Assert.Throws<MidiFormatException>(() => MidiReader.Read("RIFF0000"u8.ToArray(), "x.mid")).Message);
        var smpte = HandWritten.ToArray();
        smpte[12] = 0xE7;
        Assert.Contains("SMPTE", Assert.Throws<MidiFormatException>(() => MidiReader.Read(smpte)).Message);
        var e = Assert.Throws<MidiFormatException>(() => MidiReader.Read(HandWritten[..40], "cut.mid"));
        Assert.Equal("cut.mid", e.FilePath);
        Assert.Equal(14, e.Offset);                 // the track chunk that runs past the end
        var inside = HandWritten[..40];
        inside[21] = 18;                            // a chunk that ends inside the key signature
        Assert.Contains("ends inside an event", Assert.Throws<MidiFormatException>(() => MidiReader.Read(inside)).Message);
        var noStatus = HandWritten.ToArray();
        noStatus[23] = 0x40;          // the first event's status byte becomes data without a running status
        Assert.Contains("without a status", Assert.Throws<MidiFormatException>(() => MidiReader.Read(noStatus)).Message);
    }

    [Fact]
    public void TheWriterRefusesValuesAFileCannotHold()
    {
        MidiFile With(MidiEvent e) => new(0, 96, [new MidiTrack([e])]);
        Assert.Throws<ArgumentException>(() => MidiWriter.Write(With(new NoteOnEvent(0, 16, 60, 100))));
        Assert.Throws<ArgumentException>(() => MidiWriter.Write(With(new NoteOnEvent(0, 0, 128, 100))));
        Assert.Throws<ArgumentException>(() => MidiWriter.Write(With(new NoteOnEvent(0, 0, 60, 0))));
        Assert.Throws<ArgumentException>(() => MidiWriter.Write(With(new TimeSignatureEvent(0, 3, 5))));
        Assert.Throws<ArgumentException>(() => MidiWriter.Write(new MidiFile(0, 96, [])));
    }
}
