namespace Earworm.Audio.Midi;

/// <summary>
/// The tempo map of a MIDI file: where each tempo holds, and so the time in seconds of any tick.
/// Until the first tempo event the standard's 120 BPM holds.
/// </summary>
public sealed class TempoMap
{
    private readonly long[] _ticks;
    private readonly int[] _microseconds;
    private readonly double[] _seconds;

    /// <summary>A map of <paramref name="changes"/> (any order; of two at one tick the later in the list wins).</summary>
    public TempoMap(IEnumerable<TempoEvent> changes, int ticksPerQuarter)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentOutOfRangeException.ThrowIfLessThan(ticksPerQuarter, 1);
        TicksPerQuarter = ticksPerQuarter;
        var byTick = new SortedDictionary<long, int> { [0] = TempoEvent.DefaultMicrosecondsPerQuarter };
        foreach (var c in changes)
        {
            if (c.MicrosecondsPerQuarter < 1) throw new ArgumentException($"Tempo must be at least 1 µs per quarter, got {c.MicrosecondsPerQuarter}.", nameof(changes));
            byTick[Math.Max(0, c.Tick)] = c.MicrosecondsPerQuarter;
        }
        _ticks = [.. byTick.Keys];
        _microseconds = [.. byTick.Values];
        _seconds = new double[_ticks.Length];
        for (int i = 1; i < _ticks.Length; i++)
            _seconds[i] = _seconds[i - 1] + (_ticks[i] - _ticks[i - 1]) * _microseconds[i - 1] / 1e6 / ticksPerQuarter;
    }

    /// <summary>The map of <paramref name="file"/>'s tempo events (in any track).</summary>
    public static TempoMap Of(MidiFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new TempoMap(file.Merged().OfType<TempoEvent>(), file.TicksPerQuarter);
    }

    /// <summary>Ticks per quarter note.</summary>
    public int TicksPerQuarter { get; }

    /// <summary>The tempo in force from each change on, the first at tick 0.</summary>
    public IReadOnlyList<TempoEvent> Changes => [.. _ticks.Select((t, i) => new TempoEvent(t, _microseconds[i]))];

    /// <summary>Seconds from the start to <paramref name="tick"/>.</summary>
    public double SecondsAt(long tick)
    {
        int i = Array.BinarySearch(_ticks, tick);
        if (i < 0) i = ~i - 1;
        i = Math.Max(0, i);
        return _seconds[i] + (tick - _ticks[i]) * _microseconds[i] / 1e6 / TicksPerQuarter;
    }

    /// <summary>The quarter-note tempo in force at <paramref name="tick"/>, BPM.</summary>
    public double QuarterBpmAt(long tick)
    {
        int i = Array.BinarySearch(_ticks, tick);
        if (i < 0) i = ~i - 1;
        return 60e6 / _microseconds[Math.Max(0, i)];
    }

    /// <summary>Seconds spent at each tempo up to <paramref name="endTick"/>, by quarter-note BPM (tempi
    /// that recur are summed).</summary>
    public IReadOnlyDictionary<double, double> SecondsByTempo(long endTick)
    {
        var result = new Dictionary<double, double>();
        for (int i = 0; i < _ticks.Length && _ticks[i] < endTick; i++)
        {
            long end = i + 1 < _ticks.Length ? Math.Min(_ticks[i + 1], endTick) : endTick;
            double bpm = 60e6 / _microseconds[i];
            result[bpm] = result.GetValueOrDefault(bpm) + (end - _ticks[i]) * _microseconds[i] / 1e6 / TicksPerQuarter;
        }
        return result;
    }

    /// <summary>
    /// The piece's tempo when it changes: the quarter-note tempo t that maximises the time played
    /// within ±<paramref name="tolerance"/> of t (tempi held longest, with their near neighbours
    /// pooled, so a slight ritardando does not split it), with that time's share of the piece up to
    /// <paramref name="endTick"/>. A steady piece has a share of 1.
    /// </summary>
    public (double QuarterBpm, double Share) Predominant(long endTick, double tolerance = 0.04)
    {
        var seconds = SecondsByTempo(endTick);
        double total = seconds.Values.Sum();
        if (!(total > 0)) return (QuarterBpmAt(0), 1);
        var best = seconds.Select(c => (Bpm: c.Key, Pooled: seconds.Where(o => Math.Abs(o.Key / c.Key - 1) <= tolerance).Sum(o => o.Value)))
            .OrderByDescending(x => x.Pooled).ThenByDescending(x => seconds[x.Bpm]).First();
        return (best.Bpm, best.Pooled / total);
    }
}
