namespace Earworm.Audio.Synthesis;

/// <summary>What is typical of a <see cref="SynthStyle"/>.</summary>
/// <param name="Style">The style described.</param>
/// <param name="DisplayName">Human name, also the genre tag ("Drum and Bass").</param>
/// <param name="MinTempoBpm">Lowest typical tempo, beats per minute.</param>
/// <param name="MaxTempoBpm">Highest typical tempo, beats per minute.</param>
/// <param name="TypicalTempoBpm">Tempo when none is chosen, beats per minute.</param>
/// <param name="TypicalMode">The mode the style is usually in.</param>
/// <param name="BeatsPerBar">Metre: 4 for 4/4, 3 for 3/4.</param>
/// <param name="Percussive">True when a drum kit plays, so onsets mark the beat grid clearly.</param>
public sealed record StyleProfile(
    SynthStyle Style,
    string DisplayName,
    double MinTempoBpm,
    double MaxTempoBpm,
    double TypicalTempoBpm,
    Mode TypicalMode,
    int BeatsPerBar,
    bool Percussive)
{
    private static readonly StyleProfile[] Profiles =
    [
        new(SynthStyle.House, "House", 118, 130, 124, Mode.Minor, 4, true) { Tags = ["drums", "synth bass", "dance", "electronic"] },
        new(SynthStyle.PianoBallad, "Piano Ballad", 60, 80, 70, Mode.Major, 4, false) { Tags = ["piano", "calm", "acoustic"] },
        new(SynthStyle.DrumAndBass, "Drum and Bass", 165, 180, 174, Mode.Minor, 4, true) { Tags = ["drums", "breakbeat", "dark", "electronic"] },
        new(SynthStyle.AmbientPad, "Ambient", 50, 72, 60, Mode.Major, 4, false) { Tags = ["synth pad", "bells", "calm", "electronic"] },
        new(SynthStyle.Rock, "Rock", 120, 160, 140, Mode.Minor, 4, true) { Tags = ["drums", "electric guitar", "organ", "energetic"] },
        new(SynthStyle.Waltz, "Waltz", 80, 100, 90, Mode.Major, 3, false) { Tags = ["strings", "flute", "acoustic"] },
        new(SynthStyle.Chiptune, "Chiptune", 135, 165, 150, Mode.Major, 4, true) { Tags = ["8 bit", "synth lead", "drums", "energetic"] },
    ];

    /// <summary>What the style sounds like in words — its instruments and mood, as the synthesiser plays them — written
    /// into the demo files' tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Every style's profile, in enum order.</summary>
    public static IReadOnlyList<StyleProfile> All => Profiles;

    /// <summary>The profile of <paramref name="style"/>.</summary>
    public static StyleProfile Of(SynthStyle style) =>
        Array.Find(Profiles, p => p.Style == style)
        ?? throw new ArgumentOutOfRangeException(nameof(style), style, "Unknown style.");
}
