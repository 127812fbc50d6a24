namespace Earworm.Audio.Synthesis;

/// <summary>The musical styles <see cref="Synthesizer"/> can render; <see cref="StyleProfile"/>
/// gives each one's tempo range, metre and typical mode.</summary>
public enum SynthStyle
{
    /// <summary>Four-on-the-floor kick, off-beat hats, claps on 2 and 4, saw bass; minor; ~124 BPM.</summary>
    House,
    /// <summary>Piano alone: bass note, arpeggiated chord, melody; major; ~70 BPM.</summary>
    PianoBallad,
    /// <summary>Two-step breakbeat at ~174 BPM, sine sub bass, dark pads; minor.</summary>
    DrumAndBass,
    /// <summary>Slow, evolving detuned pads over a tonic drone, sparse bells, no percussion; major; ~60 BPM.</summary>
    AmbientPad,
    /// <summary>Kick/snare backbeat, overdriven power chords in eighths, organ; minor; ~140 BPM.</summary>
    Rock,
    /// <summary>3/4 oom-pah-pah: bass on one, string chords on two and three, flute melody; major; ~90 BPM.</summary>
    Waltz,
    /// <summary>8-bit square lead, pulse arpeggios, triangle bass, noise drums; major; ~150 BPM.</summary>
    Chiptune,
}
