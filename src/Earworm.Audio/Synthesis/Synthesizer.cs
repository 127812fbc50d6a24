namespace Earworm.Audio.Synthesis;

/// <summary>
/// Renders a <see cref="TrackSpec"/> to stereo audio with known ground truth: the tempo, key and
/// style of the spec, and the exact beat times the notes were placed on. Pure and deterministic:
/// everything random comes from one <see cref="Random"/> seeded with <see cref="TrackSpec.Seed"/>,
/// and no state is shared, so tracks can be rendered in parallel.
/// </summary>
public static class Synthesizer
{
    /// <summary>Renders <paramref name="spec"/>.</summary>
    /// <param name="spec">What to render; validated first.</param>
    /// <param name="sampleRate">Samples per second per channel, 8 000..192 000.</param>
    /// <returns>round(DurationSeconds × sampleRate) stereo frames, every sample in [−1, 1].</returns>
    public static RenderedTrack Render(TrackSpec spec, int sampleRate = 44100)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        if (sampleRate is < 8000 or > 192000)
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must lie in 8000..192000 Hz.");

        var a = new Arrangement(spec, sampleRate);
        Arrange(a);
        // Ambient and piano are mastered quieter than dance music, as on real records.
        double rmsDbfs = StyleProfile.Of(spec.Style).Percussive ? -14 : -18;
        var samples = a.Mixer.Finish(sampleRate, rmsDbfs);
        return new RenderedTrack(spec, sampleRate, samples, a.BeatTimesSeconds, a.BeatsPerBar);
    }

    /// <summary>
    /// The music of <paramref name="spec"/> as a General MIDI score instead of audio: the style's notes and drum hits
    /// (one channel per timbre with its nearest General MIDI program, drums on channel 10 by their General MIDI keys), at
    /// the spec's tempo, metre and key. The same style and seed write the same file; its melody and variations are not
    /// those of <see cref="Render"/>'s audio (no oscillator draws from the random source), though they follow the same rules.
    /// </summary>
    public static Midi.MidiFile WriteMidi(TrackSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var score = new Midi.MidiScore(480).Tempo(0, spec.TempoBpm).Key(0, spec.Tonic, spec.Mode);
        var a = new Arrangement(spec, 22050, score);
        score.Metre(0, a.BeatsPerBar, 4);
        Arrange(a);
        return score.ToMidiFile(1, $"{spec.Style} at {spec.TempoBpm:0.#} BPM in {spec.KeyName}, seed {spec.Seed}");
    }

    private static void Arrange(Arrangement a)
    {
        var spec = a.Spec;
        switch (spec.Style)
        {
            case SynthStyle.House: HouseStyle.Render(a); break;
            case SynthStyle.PianoBallad: PianoBalladStyle.Render(a); break;
            case SynthStyle.DrumAndBass: DrumAndBassStyle.Render(a); break;
            case SynthStyle.AmbientPad: AmbientPadStyle.Render(a); break;
            case SynthStyle.Rock: RockStyle.Render(a); break;
            case SynthStyle.Waltz: WaltzStyle.Render(a); break;
            case SynthStyle.Chiptune: ChiptuneStyle.Render(a); break;
            default: throw new ArgumentOutOfRangeException(nameof(a), spec.Style, "Unknown style.");
        }
    }
}
