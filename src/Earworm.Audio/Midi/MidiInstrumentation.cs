namespace Earworm.Audio.Midi;

/// <summary>How much one instrument family sounds in a piece: its notes and the seconds they sound (summed over notes).</summary>
public sealed record FamilyPresence(string Family, int Notes, double Seconds);

/// <summary>
/// Which General MIDI instrument families a MIDI file makes sound — the autotagger's ground truth, read from the file
/// that is rendered, as a synthesiser plays it: each note-on is heard in the family of the program its channel holds at
/// that moment (program 0 until a program change; channel 10 is <see cref="InstrumentFamilies.Drums"/>), unless its
/// level — velocity × channel volume (controller 7) × expression (11) — is below <see cref="MinimumLevel"/>. A program
/// change on a channel that plays nothing is no instrument. A family counts as present when it plays at least
/// <see cref="MinimumNotes"/> notes or sounds for <see cref="MinimumSeconds"/> (a single held pad chord counts, one stray
/// blip does not).
/// </summary>
public static class MidiInstrumentation
{
    /// <summary>Quietest note level that counts as heard: 0.05 of full scale (velocity 127, volume 127, expression 127),
    /// about −26 dB.</summary>
    public const double MinimumLevel = 0.05;

    /// <summary>Notes that make a family present.</summary>
    public const int MinimumNotes = 2;

    /// <summary>Seconds of sound that make a family present.</summary>
    public const double MinimumSeconds = 1.0;

    /// <summary>Every family that plays a heard note, with its notes and seconds, in <see cref="InstrumentFamilies.All"/> order.</summary>
    public static IReadOnlyList<FamilyPresence> Measure(MidiFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var map = TempoMap.Of(file);
        var program = new int[16];
        var volume = Enumerable.Repeat(100, 16).ToArray();
        var expression = Enumerable.Repeat(127, 16).ToArray();
        var notes = new Dictionary<string, int>();
        var seconds = new Dictionary<string, double>();
        var open = new Dictionary<(int Channel, int Note), Queue<(long Tick, string Family)>>();
        foreach (var e in file.Merged())
        {
            switch (e)
            {
                case ProgramChangeEvent pc:
                    program[pc.Channel] = pc.Program;
                    break;
                case ControlChangeEvent { Controller: 7 } cc:
                    volume[cc.Channel] = cc.Value;
                    break;
                case ControlChangeEvent { Controller: 11 } cc:
                    expression[cc.Channel] = cc.Value;
                    break;
                case ControlChangeEvent { Controller: 121 } cc:     // reset all controllers: expression back to full
                    expression[cc.Channel] = 127;
                    break;
                case NoteOnEvent on:
                    double level = on.Velocity / 127.0 * (volume[on.Channel] / 127.0) * (expression[on.Channel] / 127.0);
                    if (level < MinimumLevel) break;
                    string family = on.Channel == MidiFile.DrumChannel ? InstrumentFamilies.Drums : InstrumentFamilies.OfProgram(program[on.Channel]);
                    notes[family] = notes.GetValueOrDefault(family) + 1;
                    if (!open.TryGetValue((on.Channel, on.Note), out var queue)) open[(on.Channel, on.Note)] = queue = new();
                    queue.Enqueue((on.Tick, family));
                    break;
                case NoteOffEvent off when open.TryGetValue((off.Channel, off.Note), out var q) && q.Count > 0:
                    var (start, fam) = q.Dequeue();
                    seconds[fam] = seconds.GetValueOrDefault(fam) + map.SecondsAt(off.Tick) - map.SecondsAt(start);
                    break;
            }
        }
        // A note never released sounds to the end of the file.
        double end = map.SecondsAt(file.EndTick);
        foreach (var q in open.Values)
            foreach (var (start, fam) in q) seconds[fam] = seconds.GetValueOrDefault(fam) + end - map.SecondsAt(start);
        return [.. InstrumentFamilies.All.Where(notes.ContainsKey).Select(f => new FamilyPresence(f, notes[f], seconds.GetValueOrDefault(f)))];
    }

    /// <summary>The families present (<see cref="MinimumNotes"/> notes or <see cref="MinimumSeconds"/>), in
    /// <see cref="InstrumentFamilies.All"/> order.</summary>
    public static IReadOnlyList<string> Present(MidiFile file) =>
        [.. Measure(file).Where(p => p.Notes >= MinimumNotes || p.Seconds >= MinimumSeconds).Select(p => p.Family)];
}
