namespace Earworm.Audio.Synthesis;

/// <summary>How Earworm's timbres and levels are written as General MIDI (<see cref="Synthesizer.WriteMidi"/>); the
/// way back is <see cref="Midi.MidiSynthesizer.TimbreOf"/>.</summary>
public static class MidiSynthesis
{
    /// <summary>The General MIDI program nearest a timbre.</summary>
    public static int ProgramOf(Timbre timbre) => timbre switch
    {
        Timbre.Piano => 0,               // acoustic grand piano
        Timbre.Bell => 10,               // music box
        Timbre.Organ => 16,              // drawbar organ
        Timbre.Pluck => 24,              // nylon guitar
        Timbre.OverdrivenGuitar => 29,   // overdriven guitar
        Timbre.SubBass => 39,            // synth bass 2
        Timbre.SawBass => 38,            // synth bass 1
        Timbre.Strings => 48,            // string ensemble 1
        Timbre.Flute => 73,              // flute
        Timbre.ChipSquare => 80,         // square lead
        Timbre.ChipPulse => 80,
        Timbre.ChipTriangle => 79,       // ocarina: a soft, nearly pure tone
        Timbre.Pad => 89,                // warm pad
        _ => throw new ArgumentOutOfRangeException(nameof(timbre), timbre, "Unknown timbre."),
    };

    /// <summary>A MIDI velocity 1..127 for a note mixed at <paramref name="gain"/> and played at <paramref name="velocity"/> (0..1).</summary>
    public static int Velocity(float gain, float velocity) =>
        (int)Math.Clamp(Math.Round(127 * velocity * Math.Min(1, 0.5 + gain)), 1, 127);
}
