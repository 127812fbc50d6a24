using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Midi;

/// <summary>
/// What a MIDI file says about the music it holds, read as ground truth for tempo and key
/// estimators run on its rendering.
/// </summary>
/// <param name="QuarterBpm">The predominant quarter-note tempo (<see cref="TempoMap.Predominant"/>):
/// when the tempo changes, the one that (with tempi within ±4 % of it) lasts longest.</param>
/// <param name="TempoShare">The share of the piece played within ±4 % of <paramref name="QuarterBpm"/>; 1 when steady.</param>
/// <param name="TimeSignature">The time signature that lasts longest ("4/4" when the file sets none, as the standard says).</param>
/// <param name="BeatQuarters">The counted beat of that metre in quarter notes (<see cref="TimeSignatureEvent.BeatQuarters"/>:
/// 1 in 4/4, 1.5 — the dotted quarter — in 6/8 and 12/8).</param>
/// <param name="KeyTonic">Tonic pitch class of the key signature that lasts longest; null when the file has none.</param>
/// <param name="KeyMode">Its mode; null with <paramref name="KeyTonic"/>.</param>
/// <param name="KeySignatureCount">How many distinct key signatures the file sets.</param>
/// <param name="PitchClassSeconds">Seconds each pitch class (C first) sounds, summed over the notes of
/// every channel but the drums: the score's own tonal content, to check a signature against.</param>
/// <param name="GridShare">Share of note-ons on the sixteenth-note or eighth-triplet grid of the tempo map
/// (<see cref="ShareOnGrid"/>): near 1 for music sequenced on it, low for music
/// played freely over it (then the map is no ground truth for its tempo) or swung off the triplet.</param>
/// <param name="DurationSeconds">Time to the last event.</param>
public sealed record MidiGroundTruth(
    double QuarterBpm,
    double TempoShare,
    string TimeSignature,
    double BeatQuarters,
    int? KeyTonic,
    Mode? KeyMode,
    int KeySignatureCount,
    IReadOnlyList<double> PitchClassSeconds,
    double GridShare,
    double DurationSeconds)
{
    /// <summary>The tempo of the counted beat, BPM: <see cref="QuarterBpm"/> / <see cref="BeatQuarters"/>
    /// (the dotted quarter of 6/8 at 60 when its quarter notes go at 90).</summary>
    public double BeatBpm => QuarterBpm / BeatQuarters;

    /// <summary>"A minor", or null.</summary>
    public string? KeyName => KeyTonic is int t && KeyMode is Mode m ? MusicTheory.KeyName(t, m) : null;

    /// <summary>Reads the ground truth of <paramref name="file"/>.</summary>
    public static MidiGroundTruth Of(MidiFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var map = TempoMap.Of(file);
        var events = file.Merged().ToList();
        long end = Math.Max(1, file.EndTick);
        var (bpm, share) = map.Predominant(end);

        var metre = Longest(events.OfType<TimeSignatureEvent>().ToList(), t => (t.Numerator, t.Denominator), map, end) ?? new TimeSignatureEvent(0, 4, 4);
        var keys = events.OfType<KeySignatureEvent>().ToList();
        var key = Longest(keys, k => (k.Tonic, k.Mode), map, end);
        int distinctKeys = keys.Select(k => (k.Tonic, k.Mode)).Distinct().Count();

        // Pitch-class durations: each note-on to the next note-off of its key on its channel.
        var seconds = new double[12];
        var open = new Dictionary<(int Channel, int Note), Queue<long>>();
        var onsets = new List<long>();
        foreach (var e in events)
        {
            if (e is NoteOnEvent on)
            {
                onsets.Add(on.Tick);
                if (on.Channel == MidiFile.DrumChannel) continue;
                if (!open.TryGetValue((on.Channel, on.Note), out var q)) open[(on.Channel, on.Note)] = q = new Queue<long>();
                q.Enqueue(on.Tick);
            }
            else if (e is NoteOffEvent off && off.Channel != MidiFile.DrumChannel
                     && open.TryGetValue((off.Channel, off.Note), out var q) && q.Count > 0)
            {
                seconds[MusicTheory.PitchClass(off.Note)] += map.SecondsAt(off.Tick) - map.SecondsAt(q.Dequeue());
            }
        }
        return new MidiGroundTruth(bpm, share, metre.Text, metre.BeatQuarters, key?.Tonic, key?.Mode, distinctKeys, seconds,
            ShareOnGrid(onsets, file.TicksPerQuarter), map.SecondsAt(end));
    }

    // The event of a kind (time or key signature) in force for the most seconds up to endTick; events
    // with the same identity (4/4 set again, the same key again) count together.
    private static T? Longest<T, TKey>(IReadOnlyList<T> changes, Func<T, TKey> identity, TempoMap map, long endTick)
        where T : MidiEvent where TKey : notnull
    {
        if (changes.Count == 0) return null;
        var byTick = changes.GroupBy(c => c.Tick).Select(g => g.Last()).OrderBy(c => c.Tick).ToList();
        var lasting = new Dictionary<TKey, (T Event, double Seconds)>();
        for (int i = 0; i < byTick.Count; i++)
        {
            long from = i == 0 ? 0 : byTick[i].Tick;
            long to = i + 1 < byTick.Count ? byTick[i + 1].Tick : endTick;
            var id = identity(byTick[i]);
            double held = Math.Max(0, map.SecondsAt(to) - map.SecondsAt(from));
            lasting[id] = lasting.TryGetValue(id, out var sofar) ? (sofar.Event, sofar.Seconds + held) : (byTick[i], held);
        }
        return lasting.Values.MaxBy(p => p.Seconds).Event;
    }

    /// <summary>The share of <paramref name="onsetTicks"/> within 1/32 of a quarter note of the sixteenth-note or
    /// eighth-triplet grid, after the one constant offset (tried at every 1/96 of a quarter over a
    /// twelfth, the period both grids share) that puts the most on it: music sequenced with every
    /// note late by a fixed amount is still on its grid.</summary>
    public static double ShareOnGrid(IReadOnlyList<long> onsetTicks, int ticksPerQuarter)
    {
        ArgumentNullException.ThrowIfNull(onsetTicks);
        if (onsetTicks.Count == 0) return 0;
        int best = 0;
        for (int k = 0; k < 8; k++)
        {
            double offset = k * ticksPerQuarter / 96.0;
            best = Math.Max(best, onsetTicks.Count(t => OnGrid(t - offset, ticksPerQuarter)));
        }
        return (double)best / onsetTicks.Count;
    }

    private static bool OnGrid(double tick, int tpq)
    {
        double tolerance = tpq / 32.0;
        foreach (int division in (ReadOnlySpan<int>)[4, 3])
        {
            double step = tpq / (double)division;
            if (Math.Abs(tick - Math.Round(tick / step) * step) <= tolerance) return true;
        }
        return false;
    }
}
