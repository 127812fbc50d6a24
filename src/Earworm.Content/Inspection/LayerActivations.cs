namespace Earworm.Content.Inspection;

/// <summary>How a unit's activation over a track is summarised: its maximum or its mean over time (over every crop
/// of the track's cached windows; for a dense unit, over the crops).</summary>
public enum ActivationStatistic { Max, Mean }

/// <summary>
/// The activations of one layer's units (filters of a convolution, units of a dense layer) summarised per track:
/// <see cref="Max"/> and <see cref="Mean"/> are <c>[shape=(tracks, units)]</c> row-major, rows in
/// <see cref="TrackIds"/>' order.
/// </summary>
public sealed class LayerActivations
{
    public LayerActivations(string layer, int units, IReadOnlyList<long> trackIds, float[] max, float[] mean)
    {
        ArgumentException.ThrowIfNullOrEmpty(layer);
        ArgumentNullException.ThrowIfNull(trackIds);
        ArgumentNullException.ThrowIfNull(max);
        ArgumentNullException.ThrowIfNull(mean);
        if (max.Length != trackIds.Count * units || mean.Length != max.Length)
            throw new ArgumentException($"expected {trackIds.Count} × {units} values per statistic");
        Layer = layer;
        Units = units;
        TrackIds = trackIds;
        Max = max;
        Mean = mean;
    }

    /// <summary>The layer's name in the network (<c>conv1</c>, <c>dense2</c>…).</summary>
    public string Layer { get; }

    public int Units { get; }

    public IReadOnlyList<long> TrackIds { get; }

    public float[] Max { get; }

    public float[] Mean { get; }

    public float Value(int track, int unit, ActivationStatistic statistic) =>
        (statistic == ActivationStatistic.Max ? Max : Mean)[track * Units + unit];

    /// <summary>The tracks that activate a unit most, highest first (ties: lower track id first).</summary>
    public IReadOnlyList<(long TrackId, float Value)> Top(int unit, ActivationStatistic statistic, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unit);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(unit, Units);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Enumerable.Range(0, TrackIds.Count)
            .Select(t => (TrackId: TrackIds[t], Value: Value(t, unit, statistic)))
            .OrderByDescending(e => e.Value).ThenBy(e => e.TrackId).Take(count).ToList();
    }

    /// <summary>The units whose per-track mean activation varies most across the library (the most selective: a
    /// filter that fires alike for every track says little), at most <paramref name="count"/>, in unit order.</summary>
    public IReadOnlyList<int> MostSelective(int count)
    {
        int n = TrackIds.Count;
        var spread = new double[Units];
        for (int u = 0; u < Units; u++)
        {
            double sum = 0, sq = 0;
            for (int t = 0; t < n; t++) { double v = Mean[t * Units + u]; sum += v; sq += v * v; }
            spread[u] = n > 0 ? sq / n - (sum / n) * (sum / n) : 0;
        }
        return Enumerable.Range(0, Units).OrderByDescending(u => spread[u]).ThenBy(u => u).Take(count).Order().ToList();
    }
}

/// <summary>Running max and mean per unit over activation maps <c>(units, steps)</c> of one track's crops.</summary>
internal sealed class ActivationAccumulator
{
    private readonly float[] _max;
    private readonly double[] _sum;
    private long _steps;

    public ActivationAccumulator(int units)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
        _max = new float[units];
        Array.Fill(_max, float.NegativeInfinity);
        _sum = new double[units];
    }

    /// <summary>Adds one crop's map, <c>[shape=(units, steps)]</c> row-major (a dense layer: steps = 1).</summary>
    public void Add(ReadOnlySpan<float> values, int steps)
    {
        int units = _max.Length;
        if (steps < 1 || values.Length != units * steps) throw new ArgumentException($"expected {units} × {steps} values", nameof(values));
        for (int u = 0; u < units; u++)
        {
            var row = values.Slice(u * steps, steps);
            float m = _max[u];
            double s = 0;
            foreach (var v in row) { if (v > m) m = v; s += v; }
            _max[u] = m;
            _sum[u] += s;
        }
        _steps += steps;
    }

    /// <summary>Writes the maximum and mean of each unit into the destinations.</summary>
    public void Result(Span<float> max, Span<float> mean)
    {
        if (_steps == 0) throw new InvalidOperationException("no activations were added");
        for (int u = 0; u < _max.Length; u++)
        {
            max[u] = _max[u];
            mean[u] = (float)(_sum[u] / _steps);
        }
    }
}
