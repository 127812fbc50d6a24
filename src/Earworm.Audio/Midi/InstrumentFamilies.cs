namespace Earworm.Audio.Midi;

/// <summary>
/// The General MIDI Level 1 instrument families — 16 of 8 programs each, in program order (0–7 piano, 8–15 chromatic
/// percussion, …, 120–127 sound effects) — and <see cref="Drums"/> for the percussion channel (channel 10). These are
/// the tags the autotagger hears in audio; their spelling is already a tag's normalised form.
/// </summary>
public static class InstrumentFamilies
{
    /// <summary>The tag of anything played on General MIDI's percussion channel.</summary>
    public const string Drums = "drums";

    /// <summary>The 16 program families, in program order.</summary>
    public static IReadOnlyList<string> Programs { get; } =
    [
        "piano", "chromatic percussion", "organ", "guitar", "bass", "strings", "ensemble", "brass",
        "reed", "pipe", "synth lead", "synth pad", "synth effects", "ethnic", "percussive", "sound effects",
    ];

    /// <summary>The 16 program families, then <see cref="Drums"/>: the autotagger's 17 tags.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Programs, Drums];

    /// <summary>The family of General MIDI program <paramref name="program"/> (0..127).</summary>
    public static string OfProgram(int program) =>
        program is >= 0 and <= 127 ? Programs[program / 8] : throw new ArgumentOutOfRangeException(nameof(program), program, "Programs are 0..127.");
}
