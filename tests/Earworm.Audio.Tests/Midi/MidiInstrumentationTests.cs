using Earworm.Audio.Midi;
using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Tests.Midi;

/// <summary>The autotagger's ground truth: the instrument families a MIDI file makes sound, read from bytes written by
/// hand; clips and medleys keep exactly what they say.</summary>
public class MidiInstrumentationTests
{
    // Format 0, 480 ticks per quarter, the standard's 120 BPM (a quarter is 0.5 s):
    //   ch 1 piano (program 0 by default, no program change): two quarter notes          → piano
    //   ch 2 program 33 (electric bass): one note of a tenth of a second                  → too little: no bass
    //   ch 3 program 41 (viola): one note held 2 s                                       → strings
    //   ch 4 program 56 (trumpet), volume (CC 7) 0: four notes nobody hears              → no brass
    //   ch 5 program 73 (flute) and nothing played                                       → no pipe
    //   ch 10 (drums): two hits                                                          → drums
    //   ch 1 then changes to program 40 (violin) and plays two more notes                → strings again, counted once
    private static readonly byte[] Track =
    [
        0x00, 0xC1, 33,
        0x00, 0xC2, 41,
        0x00, 0xC3, 56,
        0x00, 0xB3, 7, 0,
        0x00, 0xC4, 73,
        0x00, 0x90, 60, 100,       // t 0: piano
        0x00, 0x91, 40, 100,       // bass
        0x00, 0x92, 67, 100,       // strings
        0x00, 0x93, 72, 100,       // the muted trumpet
        0x00, 0x99, 36, 100,       // kick
        0x60, 0x81, 40, 0,         // t 96 (0.1 s): bass off
        0x30, 0x89, 36, 0,         // t 144: kick off
        0x82, 0x50, 0x80, 60, 0,   // t 480 (0.5 s): piano off, the next piano note and a snare
        0x00, 0x90, 62, 100,
        0x00, 0x99, 38, 100,
        0x83, 0x60, 0x80, 62, 0,   // t 960 (1 s)
        0x00, 0x89, 38, 0,
        0x00, 0x83, 72, 0,
        0x00, 0xC0, 40,            // channel 1: violin from here on
        0x00, 0x90, 64, 100,
        0x83, 0x60, 0x80, 64, 0,   // t 1440 (1.5 s)
        0x00, 0x90, 65, 100,
        0x83, 0x60, 0x80, 65, 0,   // t 1920 (2 s): the violin and the held strings note end
        0x00, 0x82, 67, 0,
        0x00, 0xFF, 0x2F, 0x00,
    ];

    private static readonly byte[] HandWritten =
        [.. "MThd"u8, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0, .. "MTrk"u8, 0, 0, 0, (byte)Track.Length, .. Track];

    [Fact]
    public void FamiliesAreThoseWhoseNotesSound()
    {
        var file = MidiReader.Read(HandWritten);
        Assert.Equal(["piano", "strings", "drums"], MidiInstrumentation.Present(file));
        var measured = MidiInstrumentation.Measure(file).ToDictionary(p => p.Family);
        Assert.Equal(1, measured["bass"].Notes);                         // heard, but one blip is not a part
        Assert.Equal(0.1, measured["bass"].Seconds, 3);
        Assert.Equal(3, measured["strings"].Notes);                      // the held chord note and the violin's two
        Assert.False(measured.ContainsKey("brass"));                     // volume 0
        Assert.False(measured.ContainsKey("pipe"));                      // a program change is no instrument
    }

    [Fact]
    public void FamiliesFollowGeneralMidiOrder()
    {
        Assert.Equal(17, InstrumentFamilies.All.Count);
        Assert.Equal("piano", InstrumentFamilies.OfProgram(7));
        Assert.Equal("chromatic percussion", InstrumentFamilies.OfProgram(8));
        Assert.Equal("bass", InstrumentFamilies.OfProgram(32));
        Assert.Equal("sound effects", InstrumentFamilies.OfProgram(127));
        Assert.Throws<ArgumentOutOfRangeException>(() => InstrumentFamilies.OfProgram(128));
    }

    [Fact]
    public void AClipKeepsTheStateBeforeItAndOnlyTheNotesInIt()
    {
        var file = MidiReader.Read(HandWritten);
        // From 1.1 s for 0.8 s: the violin's second note (1.5 s) starts in it; the first (1 s) and the held string note
        // (from 0) sounded before it and are left out.
        var clip = MidiClip.Cut(file, 1.1, 0.8);
        var notes = clip.Merged().OfType<NoteOnEvent>().ToList();
        Assert.Equal([(400L, 65)], notes.Select(n => (n.Tick, n.Note)));          // 1.5 s − 1.1 s, in milliseconds
        Assert.Equal(40, clip.Merged().OfType<ProgramChangeEvent>().Last(p => p.Channel == 0).Program);
        Assert.Equal(0, clip.Merged().OfType<ControlChangeEvent>().Single(c => c.Channel == 3 && c.Controller == 7).Value);
        var off = clip.Merged().OfType<NoteOffEvent>().Single();
        Assert.Equal(800, off.Tick);                                               // released at the clip's end
        Assert.Empty(MidiInstrumentation.Present(clip));                          // one note of 0.4 s is not a part
        Assert.Equal(0.4, MidiInstrumentation.Measure(clip).Single(p => p.Family == "strings").Seconds, 3);
    }

    [Fact]
    public void AMedleyPlaysEachClipInItsSlotFromAFreshChannelState()
    {
        var file = MidiReader.Read(HandWritten);
        var a = MidiClip.Cut(file, 0, 1).WithPrograms(new Dictionary<int, int> { [0] = 24 });
        var b = MidiClip.Without(MidiClip.Cut(file, 0, 1), new HashSet<int> { MidiFile.DrumChannel });
        var medley = MidiClip.Medley([a, b], 1.5);
        Assert.Equal(["guitar", "drums"], MidiInstrumentation.Present(a).Intersect(["guitar", "drums"]));
        Assert.DoesNotContain("drums", MidiInstrumentation.Present(b));
        var second = medley.Merged().Where(e => e.Tick >= 1500).ToList();
        Assert.Contains(second, e => e is ProgramChangeEvent { Channel: 0, Program: 0 });      // reset before b
        Assert.DoesNotContain(second, e => e is NoteOnEvent { Channel: 9 });
        Assert.Equal(a.Merged().OfType<NoteOnEvent>().Count() + b.Merged().OfType<NoteOnEvent>().Count(),
            medley.Merged().OfType<NoteOnEvent>().Count());
        Assert.Throws<ArgumentException>(() => MidiClip.Medley([a], 0.5));                       // a clip longer than its slot
        // every slot begins by silencing every channel, so nothing sounds on into the next clip, and the file ends at
        // the last slot's end the same way
        Assert.Equal(16, second.Count(e => e is ControlChangeEvent { Controller: 120 } && e.Tick == 1500));
        Assert.Equal(3000, medley.EndTick);
        Assert.Equal(16, medley.Merged().Count(e => e is ControlChangeEvent { Controller: 120 } && e.Tick == 3000));
        Assert.Equal(16, medley.Merged().Count(e => e is ControlChangeEvent { Controller: 121 } && e.Tick == 3000));
    }

    [Fact]
    public void TheDemoStylesWriteTheirInstrumentsAsMidi()
    {
        var ballad = Synthesizer.WriteMidi(TrackSpec.Typical(SynthStyle.PianoBallad, seed: 3, durationSeconds: 10));
        Assert.Contains("piano", MidiInstrumentation.Present(ballad));
        Assert.DoesNotContain("drums", MidiInstrumentation.Present(ballad));
        var rock = MidiInstrumentation.Present(Synthesizer.WriteMidi(TrackSpec.Typical(SynthStyle.Rock, seed: 3, durationSeconds: 10)));
        Assert.Contains("drums", rock);
        Assert.Contains("guitar", rock);
        Assert.Equal(MidiWriter.Write(Synthesizer.WriteMidi(TrackSpec.Typical(SynthStyle.House, seed: 5, durationSeconds: 8))),
            MidiWriter.Write(Synthesizer.WriteMidi(TrackSpec.Typical(SynthStyle.House, seed: 5, durationSeconds: 8))));
    }
}
