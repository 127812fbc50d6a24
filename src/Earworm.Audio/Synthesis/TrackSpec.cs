namespace Earworm.Audio.Synthesis;

/// <summary>
/// Everything that determines a synthesised track: the same spec renders the same samples on every
/// machine. The musical fields are the ground truth tests compare estimates with.
/// </summary>
/// <param name="Style">Arrangement and instruments.</param>
/// <param name="TempoBpm">Beats per minute (quarter notes in 4/4, the counted beat in 3/4), 30..300.</param>
/// <param name="Tonic">Pitch class of the key's tonic, 0..11 (C = 0, A = 9).</param>
/// <param name="Mode">Major or (natural) minor.</param>
/// <param name="DurationSeconds">Length of the rendered audio, seconds (0 &lt; d ≤ 3600).</param>
/// <param name="Seed">Seeds every random choice (melody, drum variations, oscillator phases).</param>
public sealed record TrackSpec(SynthStyle Style, double TempoBpm, int Tonic, Mode Mode, double DurationSeconds, int Seed)
{
    /// <summary>Title tag.</summary>
    public string Title { get; init; } = "";

    /// <summary>Artist tag.</summary>
    public string Artist { get; init; } = "";

    /// <summary>Album tag.</summary>
    public string Album { get; init; } = "";

    /// <summary>Genre tag.</summary>
    public string Genre { get; init; } = "";

    /// <summary>The key as descriptors print it, e.g. "A minor".</summary>
    public string KeyName => MusicTheory.KeyName(Tonic, Mode);

    /// <summary>A spec with the style's typical tempo and mode, in the given key.</summary>
    public static TrackSpec Typical(SynthStyle style, int tonic = 9, int seed = 1, double durationSeconds = 12)
    {
        var p = StyleProfile.Of(style);
        return new TrackSpec(style, p.TypicalTempoBpm, tonic, p.TypicalMode, durationSeconds, seed) { Genre = p.DisplayName };
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Style)) throw new ArgumentOutOfRangeException(nameof(Style), Style, "Unknown style.");
        if (!Enum.IsDefined(Mode)) throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown mode.");
        if (!(TempoBpm is >= 30 and <= 300))
            throw new ArgumentOutOfRangeException(nameof(TempoBpm), TempoBpm, "Tempo must lie in 30..300 BPM.");
        if (Tonic is < 0 or > 11)
            throw new ArgumentOutOfRangeException(nameof(Tonic), Tonic, "Tonic must be a pitch class 0..11.");
        if (!(DurationSeconds is > 0 and <= 3600))
            throw new ArgumentOutOfRangeException(nameof(DurationSeconds), DurationSeconds, "Duration must lie in (0, 3600] seconds.");
    }
}
