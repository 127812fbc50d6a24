using Earworm.Audio.Midi;

namespace Earworm.Benchmarks;

/// <summary>
/// A rendering's own timbre (<c>instrument-set --vary-timbre</c>): every channel's synthesis parameters moved by a random
/// amount at the clip's start — the low-pass filter's cutoff and resonance, the volume envelope's attack, decay, sustain
/// and release, vibrato and a slight detuning — so the tagger hears each soundfont's instruments brighter and darker,
/// sharper and softer, as another soundfont would play them, while what plays (and so the label) stays the same.
/// FluidSynth takes the offsets as SoundFont 2.01 NRPNs (MSB 120, LSB the generator, data centred on 8192; section 9.6
/// of the specification). TiMidity, which renders FreePats, does not: its GUS patches have no filter, and the GS NRPNs
/// of the same parameters left its output the same to the byte (with and without a GS reset), so FreePats renderings
/// are never varied.
/// </summary>
internal static class TimbreVariation
{
    /// <summary>One channel's offsets, in the SoundFont's units.</summary>
    internal sealed record Offsets(double CutoffCents, double ResonanceCb, double AttackTimecents, double DecayTimecents,
        double SustainCb, double ReleaseTimecents, double VibratoCents, double TuneCents);

    /// <summary>Offsets drawn for one channel: the cutoff lowered by up to two octaves half the time (further would
    /// silence a part that its label says sounds), a resonance of up to 10 dB half the time, the envelope's attack
    /// halved to quadrupled, its decay and release halved to doubled, the sustain up to 10 dB lower, vibrato up to a
    /// quarter tone 4 times in 10, a detuning of up to 10 cents.</summary>
    internal static Offsets Draw(Random random) => new(
        CutoffCents: random.NextDouble() < 0.5 ? -2400 * random.NextDouble() : 0,
        ResonanceCb: random.NextDouble() < 0.5 ? 100 * random.NextDouble() : 0,
        AttackTimecents: -1200 + 3600 * random.NextDouble(),
        DecayTimecents: -1200 + 2400 * random.NextDouble(),
        SustainCb: 100 * random.NextDouble(),
        ReleaseTimecents: -1200 + 2400 * random.NextDouble(),
        VibratoCents: random.NextDouble() < 0.4 ? 50 * random.NextDouble() : 0,
        TuneCents: -10 + 20 * random.NextDouble());

    // SoundFont 2.01 generators and FluidSynth's NRPN scale for each (units of the generator per step of the data).
    private const int VibLfoToPitch = 6, InitialFilterFc = 8, InitialFilterQ = 9, AttackVolEnv = 34, DecayVolEnv = 36,
        SustainVolEnv = 37, ReleaseVolEnv = 38, FineTune = 52;

    /// <summary>The control changes that set <paramref name="o"/> on <paramref name="channel"/> at tick 0.</summary>
    internal static IEnumerable<MidiEvent> Events(int channel, Offsets o)
    {
        (int Generator, double Units)[] set =
        [
            (InitialFilterFc, o.CutoffCents / 2), (InitialFilterQ, o.ResonanceCb), (AttackVolEnv, o.AttackTimecents / 2),
            (DecayVolEnv, o.DecayTimecents / 2), (SustainVolEnv, o.SustainCb), (ReleaseVolEnv, o.ReleaseTimecents / 2),
            (VibLfoToPitch, o.VibratoCents / 2), (FineTune, o.TuneCents),
        ];
        foreach (var (generator, units) in set)
        {
            int data = Math.Clamp(8192 + (int)Math.Round(units), 0, 16383);
            yield return new ControlChangeEvent(0, channel, 99, 120);      // NRPN MSB: SoundFont generators
            yield return new ControlChangeEvent(0, channel, 98, generator);
            yield return new ControlChangeEvent(0, channel, 38, data & 127); // data entry LSB first: the MSB applies it
            yield return new ControlChangeEvent(0, channel, 6, data >> 7);
        }
    }

    /// <summary><paramref name="midi"/> with every note channel's timbre moved by its own draw from
    /// <paramref name="random"/>.</summary>
    internal static MidiFile Apply(MidiFile midi, Random random)
    {
        var events = midi.NoteChannels.SelectMany(c => Events(c, Draw(random))).ToList();
        return midi with { Format = midi.Format == 0 ? 1 : midi.Format, Tracks = [new MidiTrack(events), .. midi.Tracks] };
    }
}
