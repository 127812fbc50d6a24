namespace Earworm.Audio.Synthesis;

/// <summary>The instruments <see cref="Instruments.Render"/> can play.</summary>
public enum Timbre
{
    /// <summary>Struck string: slightly stretched partials, upper ones dying first; soft and warm.</summary>
    Piano,
    /// <summary>Plucked string / pluck synth: bright partials that decay in well under a second.</summary>
    Pluck,
    /// <summary>Inharmonic partials (1, 2, 2.76, 5.4, 8.9) with long decays.</summary>
    Bell,
    /// <summary>Drawbar organ: steady sine harmonics 1, 2, 3, 4, 6, 8, gated.</summary>
    Organ,
    /// <summary>Five detuned saws through a slowly opening low-pass: slow attack, long release.</summary>
    Pad,
    /// <summary>Three detuned saws, darkened, medium attack: a string section.</summary>
    Strings,
    /// <summary>Saw plus sine sub through a low-pass whose cutoff snaps shut: dance bass.</summary>
    SawBass,
    /// <summary>Near-pure sine with a touch of second harmonic: drum-and-bass sub.</summary>
    SubBass,
    /// <summary>50 % pulse, no filter: 8-bit lead.</summary>
    ChipSquare,
    /// <summary>25 % pulse, thinner than <see cref="ChipSquare"/>: 8-bit arpeggios.</summary>
    ChipPulse,
    /// <summary>Triangle, gated: 8-bit bass.</summary>
    ChipTriangle,
    /// <summary>Saws through a hard tanh drive and a speaker-like low-pass: rock guitar. Give it a
    /// root, fifth and octave for a power chord; the drive acts on the sum, as an amplifier does.</summary>
    OverdrivenGuitar,
    /// <summary>Triangle with a soft attack and a little second harmonic: flute / soft lead.</summary>
    Flute,
}
